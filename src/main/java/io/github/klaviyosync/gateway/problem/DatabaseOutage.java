package io.github.klaviyosync.gateway.problem;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

/** Recognises a failure caused by a database that cannot be reached (as opposed to a bad query). */
final class DatabaseOutage {

    private static final int MAX_DEPTH = 16;

    private DatabaseOutage() {
    }

    static boolean isCausedBy(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (isConnectionFailure(current)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable failure) {
        if (failure instanceof ConnectException
                || failure instanceof ClosedConnectionException
                || failure instanceof ClosedChannelException) {
            return true;
        }
        // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting.
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"));
    }
}
