package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.github.klaviyosync.gateway.db.DatabaseOutage;
import io.vertx.pgclient.PgException;

/**
 * Describes failures in words safe to log and to store in {@code webhook_event.error}: Klaviyo
 * errors by their operation and status, database errors by SQLSTATE (their messages can quote row
 * values, which may be personal data), anything else by its type alone.
 */
public final class Failures {

    private static final int MAX_LENGTH = 500;

    private Failures() {
    }

    public static String describe(Throwable failure) {
        Throwable root = unwrap(failure);
        String text;
        if (root instanceof KlaviyoException klaviyo) {
            text = "Klaviyo: " + klaviyo.getMessage();
        } else if (root instanceof PgException pg) {
            text = "database error (SQLSTATE " + pg.getSqlState() + ")";
        } else if (root instanceof UnappliableEvent apply) {
            text = apply.getMessage();
        } else if (DatabaseOutage.isCausedBy(root)) {
            text = "database unreachable (" + root.getClass().getSimpleName() + ")";
        } else {
            text = root.getClass().getSimpleName();
        }
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
    }


    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current
                && (current instanceof java.util.concurrent.CompletionException
                        || current.getClass().getName().startsWith("org.hibernate")
                        || current instanceof jakarta.persistence.PersistenceException)) {
            current = current.getCause();
        }
        return current;
    }
}
