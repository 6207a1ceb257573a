#!/usr/bin/env python3
"""Push-to-stream latency: flow pushes at RATE a second for SECONDS, and the time each takes to reach
an open change stream as its "joined" change (from just before the push is sent to its event read).

    stream-latency.py <gateway URL> <API token> <account id> <flow token> <list id> <rate> <seconds>

Prints one line: RESULT sent=… received=… p50_ms=… p99_ms=… max_ms=… late=… (late: over 500 ms), and
stream_p50_ms/stream_p99_ms: from the start of the transaction that wrote each change to its event read.
Pushes go out on a fixed schedule from 4 connections, so a slow answer never lowers the rate."""
import datetime
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

base, token, account, flow_token, list_id, rate, seconds = sys.argv[1:8]
rate, seconds = float(rate), float(seconds)
url = urllib.parse.urlparse(base)
sent_at, received_at = {}, {}
# From the start of the transaction that wrote a change (its "at") to its event read: the stream's share.
after_write = []
lock = threading.Lock()
ready = threading.Event()


def follow():
    try:
        read_stream()
    except Exception as failure:  # reported, so that a lost stream is not read as slowness
        print(f"the stream failed: {failure!r}", file=sys.stderr)
    print(f"the stream ended after {len(received_at)} changes", file=sys.stderr)


def read_stream():
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=seconds + 60)
    connection.request("GET", f"/api/changes/stream?accountId={account}",
                       headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200, response.status
    for raw in response:
        line = raw.decode().rstrip("\n")
        if line.startswith("id:"):
            ready.set()  # the stream's first block: its starting position
        if line.startswith("data:"):
            change = json.loads(line[5:])
            written = datetime.datetime.fromisoformat(change["at"].replace("Z", "+00:00")).timestamp()
            with lock:
                received_at.setdefault(change["profileId"], time.monotonic())
                after_write.append((time.time() - written) * 1000)


def push(schedule):
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    for due, profile in schedule:
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        body = json.dumps({"list_id": list_id, "profile_id": profile, "email": "", "phone_number": "",
                           "first_name": "Latency", "last_name": ""})
        with lock:
            sent_at[profile] = time.monotonic()
        connection.request("POST", f"/webhooks/klaviyo/{account}/flow", body=body,
                           headers={"Content-Type": "application/json", "X-Gateway-Token": flow_token})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 202, answer.status


threading.Thread(target=follow, daemon=True).start()
if not ready.wait(30):
    sys.exit("the stream sent no starting position within 30 s")
time.sleep(1)
start = time.monotonic() + 0.5
count = int(rate * seconds)
pushes = [(start + i / rate, "01LT" + uuid.uuid4().hex[:22].upper()) for i in range(count)]
senders = [threading.Thread(target=push, args=(pushes[n::4],)) for n in range(4)]
for sender in senders:
    sender.start()
for sender in senders:
    sender.join()
deadline = time.monotonic() + 10
while time.monotonic() < deadline and len(received_at) < count:
    time.sleep(0.1)
with lock:
    latencies = sorted((received_at[p] - sent_at[p]) * 1000 for p in sent_at if p in received_at)
missing = count - len(latencies)


def percentile(q, values=None):
    values = latencies if values is None else values
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


after_write.sort()


print(f"RESULT sent={count} received={len(latencies)} missing={missing} p50_ms={percentile(0.50):.0f} "
      f"p99_ms={percentile(0.99):.0f} max_ms={latencies[-1] if latencies else float('nan'):.0f} "
      f"late={sum(1 for l in latencies if l > 500)} "
      f"stream_p50_ms={percentile(0.50, after_write):.0f} stream_p99_ms={percentile(0.99, after_write):.0f}")
