package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Describes failures in words safe to log and to store in {@code webhook_event.error}: Klaviyo
 * errors by their operation and status, database errors by SQLSTATE (their messages can quote row
 * values, which may be personal data), anything else by its type alone.
 */
final class Failures {

    private static final int MAX_LENGTH = 500;

    private Failures() {
    }

    static String describe(Throwable failure) {
        Throwable root = unwrap(failure);
        String text;
        if (root instanceof KlaviyoException klaviyo) {
            text = "Klaviyo: " + klaviyo.getMessage();
        } else if (root instanceof PgException pg) {
            text = "database error (SQLSTATE " + pg.getSqlState() + ")";
        } else if (root instanceof ApplyException apply) {
            text = apply.getMessage();
        } else if (isConnectionFailure(root)) {
            text = "database unreachable (" + root.getClass().getSimpleName() + ")";
        } else {
            text = root.getClass().getSimpleName();
        }
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
    }

    /** The database could not be reached or did not answer in time (as opposed to refusing a statement). */
    static boolean isConnectionFailure(Throwable failure) {
        Throwable root = unwrap(failure);
        if (root instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            // 08: connection exception; 57P0x: the server is shutting down or starting; 53: out of resources.
            return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
        }
        return root instanceof ConnectException
                || root instanceof TimeoutException
                || root instanceof io.vertx.sqlclient.ClosedConnectionException
                || root instanceof io.vertx.core.VertxException && root.getMessage() != null
                        && root.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout")
                || root instanceof java.io.IOException;
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
