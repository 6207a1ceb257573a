package io.github.klaviyosync.gateway.db;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Reads and binds the values of native statements in the forms the reactive PostgreSQL client uses. */
public final class Rows {

    private Rows() {
    }

    /** The parameters of a statement, {@code $1} first (nulls allowed). */
    public static Tuple parameters(Object... values) {
        return Tuple.from(values);
    }

    /** A {@code timestamptz} column as an instant (null stays null). */
    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** An instant bound to a {@code timestamptz} parameter. */
    public static OffsetDateTime timestamp(Instant instant) {
        if (instant == null) {
            return null;
        }
        // Instant.atOffset asks ZoneOffset for its rules, which JDK 17 builds anew on each call: a
        // page commit binds hundreds of times.
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC),
                ZoneOffset.UTC);
    }

    /** A duration bound as seconds (with its milliseconds) for {@code make_interval(secs => $n)}. */
    public static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** The only row of a statement that always answers one (an aggregate or a CTE's final select). */
    public static Row single(RowSet<Row> rows) {
        return rows.iterator().next();
    }

    /** One column of a batch, as the typed array an {@code unnest($n::type[])} parameter takes. */
    public static <T, C> C[] column(Collection<T> rows, Function<T, C> value, IntFunction<C[]> array) {
        return rows.stream().map(value).toArray(array);
    }
}
