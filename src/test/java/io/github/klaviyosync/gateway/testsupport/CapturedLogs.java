package io.github.klaviyosync.gateway.testsupport;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the application logs while a piece of a test runs. */
public final class CapturedLogs {

    private CapturedLogs() {
    }

    /** Runs {@code call} while every record logged is added to {@code records} (synchronize on it to read). */
    public static <T> T capturing(List<LogRecord> records, Callable<T> call) throws Exception {
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            return call.call();
        } finally {
            root.removeHandler(capture);
        }
    }
}
