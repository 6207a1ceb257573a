package io.github.klaviyosync.gateway.testsupport;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a repository's native statements in a transaction that is rolled back at the end, whatever
 * happens: the equivalent of {@code @TestReactiveTransaction} for statements on the reactive pool. The
 * work sees its own fixtures and writes; nothing of it is ever visible to another connection.
 */
public final class RolledBack {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private RolledBack() {
    }

    /** {@code work}'s item, from the test thread; the transaction is rolled back afterwards. */
    public static <T> T run(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(connection -> connection.begin()
                        .chain(transaction -> Uni.createFrom().deferred(() -> work.apply(connection))
                                .onTermination().call(transaction::rollback)))
                .await().atMost(WAIT);
    }

    /** Every row of a query, in the work's transaction. */
    public static Uni<List<Row>> rows(SqlConnection connection, String sql, Object... parameters) {
        return connection.preparedQuery(sql)
                .execute(Tuple.from(parameters))
                .map(rows -> {
                    List<Row> all = new ArrayList<>();
                    rows.forEach(all::add);
                    return all;
                });
    }

    /** The first column of the only row of a query, in the work's transaction. */
    public static Uni<Object> value(SqlConnection connection, String sql, Object... parameters) {
        return rows(connection, sql, parameters).map(rows -> rows.isEmpty() ? null : rows.get(0).getValue(0));
    }
}
