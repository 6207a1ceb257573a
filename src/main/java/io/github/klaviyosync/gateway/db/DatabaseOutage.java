package io.github.klaviyosync.gateway.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.core.VertxException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The one description of "the database is unreachable" (as opposed to a statement it refused): what
 * the API answers 503 for, what webhooks answer 503 for so that Klaviyo retries, and what ends an
 * apply pass without recording a failed attempt.
 */
public final class DatabaseOutage {

    private static final int MAX_DEPTH = 16;

    private DatabaseOutage() {
    }

    /** Whether {@code failure}, or one of its causes, says the database could not be reached or did not answer in time. */
    public static boolean isCausedBy(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (isConnectionFailure(current)) {
                return true;
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable failure) {
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            // 08: connection exception; 57P0x: the server is shutting down or starting; 53: out of resources
            // (too many connections, out of memory or disk): each passes, so the caller should retry later.
            return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
        }
        // Socket-level failures only: an IOException of another kind (a request body that could not be
        // read, say) is not the database's.
        return failure instanceof SocketException
                || failure instanceof ClosedConnectionException
                || failure instanceof ClosedChannelException
                || failure instanceof TimeoutException
                || failure.getClass().getName().endsWith("NativeIoException")
                || failure instanceof VertxException && failure.getMessage() != null
                        && failure.getMessage().toLowerCase(Locale.ROOT).contains("timeout");
    }
}
