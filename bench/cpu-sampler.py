#!/usr/bin/env python3
"""CPU seconds (user + system) used by the PostgreSQL backends of one database, from /proc.

    cpu-sampler.py DATABASE OUT_FILE

Samples every 0.1 s the processes whose command line is a PostgreSQL backend of DATABASE ("postgres:
... DATABASE host(port) ..." or an autovacuum worker of it), remembering each one's CPU time when first
and last seen; on SIGTERM writes to OUT_FILE the CPU seconds they used while sampled, and how many
backends were seen. A backend that exits loses at most its last 0.1 s. The server's shared processes
(WAL writer, checkpointer, background writer) are not counted: other databases on the server share them.
"""
import os
import signal
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
database, out_file = sys.argv[1], sys.argv[2]
first, last = {}, {}


def ticks(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the whole line)


def backends():
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                words = cmdline.read().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        if words and words[0] == "postgres:" and database in words:
            yield pid


def sample(initial):
    for pid in backends():
        try:
            now = ticks(pid)
        except OSError:
            continue
        first.setdefault(pid, now if initial else 0)
        last[pid] = now


def finish(*_):
    sample(False)
    used = sum(last[pid] - first[pid] for pid in last) / HZ
    with open(out_file, "w") as out:
        out.write(f"{used:.2f} {len(last)}\n")
    sys.exit(0)


signal.signal(signal.SIGTERM, finish)
sample(True)
while True:
    time.sleep(0.1)
    sample(False)
