package io.github.klaviyosync.gateway.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC on the tests' database, for fixtures and for checking what a call stored, from the test
 * thread (reactive sessions need a Vert.x context, JDBC does not). Instants bind as timestamptz.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(EmbeddedPostgresResource.server().jdbcUrl(), "postgres", "");
    }

    /** Runs an insert, update or delete; with {@code returning}, the first column of the first row. */
    public static Object execute(String sql, Object... args) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, args)) {
            if (statement.execute()) {
                try (ResultSet result = statement.getResultSet()) {
                    return result.next() ? result.getObject(1) : null;
                }
            }
            return statement.getUpdateCount();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All rows of a query, column name to value (timestamptz as {@link Instant}). */
    public static List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, args);
             ResultSet result = statement.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= columns; column++) {
                    Object value = result.getObject(column);
                    if ("timestamptz".equals(result.getMetaData().getColumnTypeName(column)) && value != null) {
                        value = result.getObject(column, OffsetDateTime.class).toInstant();
                    }
                    row.put(result.getMetaData().getColumnLabel(column), value);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row (timestamptz as {@link Instant}), or null when there is no row. */
    public static Object value(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    /** A count (or any whole number) a query answers in its first column. */
    public static long count(String sql, Object... args) {
        return ((Number) value(sql, args)).longValue();
    }

    /** The only row of a query. */
    public static Map<String, Object> row(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i] instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : args[i];
            statement.setObject(i + 1, arg);
        }
        return statement;
    }
}
