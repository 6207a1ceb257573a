package io.github.klaviyosync.gateway.webhook.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import io.github.klaviyosync.gateway.testsupport.MigratedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the claim takes since it reads by account (V15): still the oldest due events of all the
 * accounts no pass holds, whole accounts only, skipping events in back-off and the held accounts.
 */
class ClaimStatementTest {

    private static final String A = "00000000-0000-0000-0000-00000000000a";
    private static final String B = "00000000-0000-0000-0000-00000000000b";
    private static final String C = "00000000-0000-0000-0000-00000000000c";
    private static final String HELD = "00000000-0000-0000-0000-00000000000d";

    private static EmbeddedPostgresServer database;
    /** The events' ids in the order they were stored, by the names the tests give them. */
    private static final List<Long> ids = new ArrayList<>();

    @BeforeAll
    static void interleavedEvents() throws SQLException {
        database = MigratedDatabase.start();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String account : List.of(A, B, C, HELD)) {
                statement.execute("insert into account (id, name, api_key_enc, status) values ('%s', 'x', '\\x00', 'active')".formatted(account));
            }
            // Stored in this order: a1 b1 c1 (in back-off) held1 a2 b2 c2 a3.
            for (String[] event : new String[][] {{A, "now()"}, {B, "now()"}, {C, "now() + interval '1 hour'"}, {HELD, "now()"},
                    {A, "now()"}, {B, "now()"}, {C, "now()"}, {A, "now()"}}) {
                try (ResultSet id = statement.executeQuery(
                        "insert into webhook_event (account_id, kind, payload, next_attempt_at) values ('%s', 'flow', '{}', %s) returning id"
                                .formatted(event[0], event[1]))) {
                    id.next();
                    ids.add(id.getLong(1));
                }
            }
            statement.execute("insert into webhook_claim (account_id, claimed_by, claimed_until) values ('%s', 'holder', now() + interval '1 hour')"
                    .formatted(HELD));
        }
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void takesTheOldestDueEventsOfAccountsNoPassHolds() throws SQLException {
        // Due and free, oldest first: a1 b1 a2 b2 c2 a3 (c1 waits for its back-off, held1 is held).
        assertEquals(List.of(id(0), id(1), id(4), id(5)), claimed(4));
        assertEquals(List.of(id(0), id(1), id(4), id(5), id(6), id(7)), claimed(100));
        assertEquals(List.of(id(0)), claimed(1));
    }

    @Test
    void claimsTheAccountsOfTheEventsItTakesOnly() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            claim(statement, 4);
            assertEquals(List.of(A, B, HELD), strings(statement, "select account_id::text from webhook_claim order by account_id"));
            connection.rollback();
        }
    }

    /**
     * Accounts whose oldest events wait for a retry do not take the claim's places: it ranks each
     * account by its first due event, so a free account's due push behind them is claimed.
     */
    @Test
    void retriesWaitingAtTheHeadOfManyAccountsDoNotHoldBackAnotherAccountsDueEvents() throws SQLException {
        List<String> waiting = List.of("00000000-0000-0000-0000-0000000000e1", "00000000-0000-0000-0000-0000000000e2",
                "00000000-0000-0000-0000-0000000000e3");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String account : waiting) {
                statement.execute("insert into account (id, name, api_key_enc, status) values ('%s', 'x', '\\x00', 'active')".formatted(account));
                statement.execute("insert into webhook_event (account_id, kind, payload, next_attempt_at) values ('%s', 'flow', '{}', now() + interval '1 hour')"
                        .formatted(account));
            }
            // Every event stored before these three is due: a claim of 2 takes the two oldest of them (a1, b1).
            assertEquals(List.of(id(0), id(1)), claim(statement, 2).stream().sorted().toList());
            statement.execute("delete from webhook_claim where claimed_by = 'pass'");
            statement.execute("update webhook_event set next_attempt_at = now() + interval '1 hour' where account_id in ('%s', '%s')"
                    .formatted(A, B));
            // Every event of A and B waits, and C's first (c1): the accounts whose first received
            // events are oldest have nothing due, and C's due c2 is claimed.
            assertEquals(List.of(id(6)), claim(statement, 2));
            connection.rollback();
        }
    }

    private static long id(int stored) {
        return ids.get(stored);
    }

    /** The ids a claim of {@code limit} takes, in id order; rolled back. */
    private static List<Long> claimed(int limit) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            List<Long> claimed = claim(statement, limit);
            connection.rollback();
            return claimed.stream().sorted().toList();
        }
    }

    private static List<Long> claim(Statement statement, int limit) throws SQLException {
        statement.execute("deallocate all");
        statement.execute("prepare claim as " + WebhookClaimRepository.CLAIM);
        List<Long> claimed = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("execute claim('pass', 300, %d)".formatted(limit))) {
            while (rows.next()) {
                claimed.add(rows.getLong("id"));
            }
        }
        return claimed;
    }

    private static List<String> strings(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.USER, "");
    }
}
