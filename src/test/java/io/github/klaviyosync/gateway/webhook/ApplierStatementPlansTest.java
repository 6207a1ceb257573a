package io.github.klaviyosync.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import io.github.klaviyosync.gateway.testsupport.MigratedDatabase;
import io.github.klaviyosync.gateway.testsupport.QueryPlans;
import io.github.klaviyosync.gateway.testsupport.SqlConstants;
import io.github.klaviyosync.gateway.webhook.apply.WebhookClaimRepository;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The apply pass's reads and marks of the events it claimed reach them by id, whatever PostgreSQL
 * knows of the table (migration V14). A table never analysed (a new database, or the first minute of
 * a burst before autovacuum's first visit) makes the planner guess that one account's received
 * events are a handful; a plan made then is kept by the connection's prepared statement. Through an
 * index on {@code (account_id, status, ...)}, PostgreSQL 15 then read the account's whole backlog to
 * mark a batch, so the further the applier fell behind, the dearer each batch (up to 287 ms a
 * batch in the webhook benchmark, which it never caught up from). Checked with a plan made for any
 * value and with one made for these values.
 */
class ApplierStatementPlansTest {

    private static final String ACCOUNT = "00000000-0000-0000-0000-0000000ba7c4";
    /** An account with a few due events, held by no pass. */
    private static final String OTHER_ACCOUNT = "00000000-0000-0000-0000-00000000f4ee";
    private static final int OTHER_DUE = 10;
    private static final int BACKLOG = 25_000;
    private static final int BATCH = 100;
    /** The indexes that hold events by id. */
    private static final Set<String> BY_ID = Set.of("webhook_event_pkey", "webhook_event_due");

    private static EmbeddedPostgresServer database;

    @BeforeAll
    static void backlogNeverAnalysed() throws SQLException {
        database = MigratedDatabase.start();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // No autovacuum either: the statistics stay those of a table never analysed.
            statement.execute("alter table webhook_event set (autovacuum_enabled = false)");
            statement.execute("insert into account (id, name, api_key_enc, status) values ('%s', 'backlog', '\\x00', 'active')"
                    .formatted(ACCOUNT));
            statement.execute("""
                    insert into webhook_event (account_id, kind, payload)
                    select '%s', 'flow', '{"n":' || n || '}' from generate_series(1, %d) n""".formatted(ACCOUNT, BACKLOG));
            statement.execute("insert into webhook_claim (account_id, claimed_by, claimed_until) values ('%s', 'pass', now() + interval '1 hour')"
                    .formatted(ACCOUNT));
            statement.execute("insert into account (id, name, api_key_enc, status) values ('%s', 'other', '\\x00', 'active')"
                    .formatted(OTHER_ACCOUNT));
            statement.execute("""
                    insert into webhook_event (account_id, kind, payload)
                    select '%s', 'flow', '{"n":' || n || '}' from generate_series(1, %d) n""".formatted(OTHER_ACCOUNT, OTHER_DUE));
        }
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void theMarkOfABatchReadsTheBatchOnly() throws Exception {
        String execute = "execute applier_statement('%s', '%s', 'pass', '%s', '%s')".formatted(batchIds(), WebhookStatus.RECEIVED.wire(),
                ACCOUNT, WebhookStatus.APPLIED.wire());
        for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
            JsonNode plan = executed(mode, WebhookEventRepository.MARK_CLAIMED_APPLIED, execute);
            assertEquals(BATCH, plan.path("Actual Rows").asInt(), mode + ": the batch is marked");
            assertReachedById(mode, plan);
        }
    }

    @Test
    void thePayloadsOfABatchAreReadByIdOnly() throws Exception {
        String execute = "execute applier_statement('%s', '%s')".formatted(batchIds(), ACCOUNT);
        for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
            JsonNode plan = executed(mode, WebhookEventRepository.CLAIMED_PAYLOADS, execute);
            assertEquals(BATCH, plan.path("Actual Rows").asInt(), mode + ": the batch's payloads are read");
            assertReachedById(mode, plan);
        }
    }

    /**
     * Another pass's claim, while one pass holds the account with the backlog, takes the other
     * account's due events without walking that backlog (V15): through webhook_event_due (id) it read
     * all 25,000 held events first, under the claimers' lock, so a busy account slowed every claim.
     */
    @Test
    void aClaimSkipsTheBacklogOfAnAccountAnotherPassHolds() throws Exception {
        String execute = "execute applier_statement('another pass', 300, %d)".formatted(BATCH);
        for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
            JsonNode plan = executed(mode, SqlConstants.of(WebhookClaimRepository.class, "CLAIM"), execute);
            assertEquals(OTHER_DUE, plan.path("Actual Rows").asInt(), mode + ": the free account's events are claimed");
            long read = QueryPlans.rowsRead(plan, "webhook_event");
            // The claimed events, plus a few entries to find the two due accounts and the free one's first event.
            assertTrue(read <= OTHER_DUE + 5, mode + ": events read to claim " + OTHER_DUE + ": " + read + " in " + plan);
        }
    }

    /**
     * The one scan of webhook_event goes through an index on {@code id} (the primary key, or
     * webhook_event_due) and reads at most the batch. PostgreSQL 17 also bounds a scan of an index on
     * {@code (account_id, status, id)} by the ids; PostgreSQL 15 and 16 filter the account's whole
     * backlog there, which is why such a scan is refused whatever it read.
     */
    private static void assertReachedById(String mode, JsonNode plan) {
        List<JsonNode> scans = QueryPlans.scans(plan, "webhook_event");
        assertEquals(1, scans.size(), mode + ": one scan of webhook_event in " + plan);
        JsonNode scan = scans.get(0);
        Set<String> indexes = QueryPlans.nodes(scan).stream()
                .map(node -> node.path("Index Name").asText(""))
                .filter(index -> !index.isEmpty())
                .collect(Collectors.toSet());
        assertTrue(!indexes.isEmpty() && BY_ID.containsAll(indexes), mode + ": webhook_event read through " + indexes + " in " + scan);
        int read = scan.path("Actual Rows").asInt() + scan.path("Rows Removed by Filter").asInt()
                + scan.path("Rows Removed by Index Recheck").asInt();
        assertTrue(read <= BATCH, mode + ": rows read for a batch of " + BATCH + ": " + read);
    }

    /** Events in the middle of the backlog, as a Postgres array literal. */
    private static String batchIds() {
        List<String> ids = new ArrayList<>();
        for (int id = BACKLOG / 2; id < BACKLOG / 2 + BATCH; id++) {
            ids.add(Integer.toString(id));
        }
        return "{" + String.join(",", ids) + "}";
    }

    /** The statement prepared and executed with this plan cache mode, explained with what it did, then rolled back. */
    private static JsonNode executed(String mode, String sql, String execute) throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("set local plan_cache_mode = " + mode);
            statement.execute("prepare applier_statement as " + sql);
            try {
                return QueryPlans.top(statement, "explain (analyze, format json) " + execute);
            } finally {
                connection.rollback();
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.USER, "");
    }
}
