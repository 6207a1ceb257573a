package io.github.klaviyosync.gateway.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import io.github.klaviyosync.gateway.testsupport.MigratedDatabase;
import io.github.klaviyosync.gateway.testsupport.QueryPlans;
import io.github.klaviyosync.gateway.testsupport.SqlConstants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What lets the schema grow (docs/SCALING.md). First, the property that lets it shard by account on
 * a distributed PostgreSQL:
 * every table carries {@code account_id} (but the few documented there as reference or local
 * tables), and every hot-path statement reaches each row of those tables through it. The second is
 * checked on PostgreSQL's own generic plan of each statement ({@code EXPLAIN (GENERIC_PLAN)}, PostgreSQL
 * 16 and later): every scan of a sharded table must have {@code account_id} in its index condition or
 * filter, so a distributed planner could route the whole statement to one account's shard. Second,
 * the member-sync claim, which an instance runs each time a sync ends, reads lists through indexes
 * only: a sequential scan of {@code klaviyo_list} costs 200 ms and more at a million lists.
 */
class SchemaAtScaleTest {

    /** Tables without account_id, each named in docs/SCALING.md with why. */
    private static final Set<String> UNSHARDED = Set.of("account", "klaviyo_quota", "member_change_horizon", "flyway_schema_history");

    /**
     * The statements run per page, per push, per webhook or per API read of one account: the hot path.
     * The cross-account statements (claims, renewals, retention, compaction) and the change feed (ordered
     * by the writing transaction, which is one server's) are listed in docs/SCALING.md with how they
     * change on a sharded database.
     */
    private static final Map<String, List<String>> HOT_PATH = Map.of(
            "member.MembershipRepository", List.of("COMMIT_PAGE", "APPLY_PUSHES", "MARK_UNSTAMPED"),
            "member.SubscriberRepository", List.of("STORE_FROM_KLAVIYO", "SWEEP_PAGE", "APPLY_SMS_CONSENT_EVENT", "MOVE_TO_SURVIVOR",
                    "UNCONFIRMED_PUSHED"),
            "list.ListRepository", List.of("CREATE_PUSHED", "REQUEST_POLL", "COMPLETE", "RELEASE_FAILED", "IDS_BY_KLAVIYO_IDS"),
            "webhook.WebhookEventRepository", List.of("INSERT_CHECKED", "MARK_CLAIMED_APPLIED", "CLAIMED_PAYLOADS"));

    private static final String BACKLOG_ACCOUNT = "00000000-0000-0000-0000-00000000b10c";

    private static EmbeddedPostgresServer database;

    @BeforeAll
    static void migrate() {
        database = MigratedDatabase.start();
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void everyTableButTheDocumentedOnesCarriesTheAccount() throws Exception {
        Set<String> withoutAccount = new TreeSet<>(strings("""
                select t.table_name from information_schema.tables t
                 where t.table_schema = 'public'
                   and not exists (select 1 from information_schema.columns c
                                    where c.table_schema = 'public' and c.table_name = t.table_name
                                      and c.column_name = 'account_id')"""));
        assertEquals(new TreeSet<>(UNSHARDED), withoutAccount);
        String scaling = Files.readString(Path.of("docs/SCALING.md"));
        for (String table : UNSHARDED) {
            assertTrue(scaling.contains("`" + table + "`"), () -> "docs/SCALING.md says nothing of " + table);
        }
    }

    @Test
    void everyHotPathStatementReachesShardedRowsThroughTheAccount() throws Exception {
        Set<String> sharded = new TreeSet<>(strings("""
                select table_name from information_schema.columns
                 where table_schema = 'public' and column_name = 'account_id'"""));
        List<String> unrouted = new ArrayList<>();
        int scans = 0;
        for (Map.Entry<String, List<String>> owner : HOT_PATH.entrySet()) {
            for (String name : owner.getValue()) {
                String statement = owner.getKey() + "." + name;
                JsonNode plan = genericPlan(statement, sql(owner.getKey(), name));
                for (JsonNode node : QueryPlans.nodes(plan)) {
                    String relation = node.path("Relation Name").asText("");
                    if (!sharded.contains(relation) || !node.path("Node Type").asText().contains("Scan")) {
                        continue;
                    }
                    scans++;
                    if (!conditions(node).contains("account_id")) {
                        unrouted.add(statement + ": " + node.path("Node Type").asText() + " on " + relation + " ("
                                + conditions(node) + ")");
                    }
                }
            }
        }
        assertTrue(scans >= 20, "the plans scan sharded tables: " + scans);
        assertEquals(List.of(), unrouted, "scans of sharded tables without the account");
    }

    @Test
    void theMemberSyncClaimReadsListsThroughIndexesOnly() throws Exception {
        // Enough lists, a few being synced and a few due, for the planner's statistics to be those of a real table.
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            accounts(statement, "shop", 200, "active");
            statement.execute("""
                    insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, lease_until)
                    select a.id, 'L' || n, 'list', 'discovery',
                           now() + case when n = 1 then interval '-1 second' else interval '10 minutes' end,
                           case when n = 2 and a.name in ('shop 1', 'shop 2', 'shop 3') then now() + interval '30 seconds' end
                      from account a, generate_series(1, 100) n""");
            statement.execute("analyze account, klaviyo_list");
        }
        // Planned for its values, as PostgreSQL plans the first executions of a prepared statement, and
        // generically, as it may plan every later one once a generic plan costs no more on average: the
        // partial indexes on active lists must serve both (a status bound as a parameter could not use them).
        String claim = "prepare claim as " + sql("list.ListRepository", "CLAIM");
        String values = "execute claim('test', 4, 8, 30)";
        for (String planCache : List.of("force_custom_plan", "force_generic_plan")) {
            List<String> scans = QueryPlans.nodes(plan(planCache, claim, values)).stream()
                    .filter(node -> "klaviyo_list".equals(node.path("Relation Name").asText()))
                    .map(node -> node.path("Node Type").asText() + " " + node.path("Index Name").asText("")
                            + node.path("Plans").path(0).path("Index Name").asText(""))
                    .toList();
            assertTrue(scans.size() >= 3, planCache + ": the claim reads klaviyo_list: " + scans);
            assertTrue(scans.stream().noneMatch(scan -> scan.startsWith("Seq Scan")), planCache + ": scans of klaviyo_list: " + scans);
            assertTrue(scans.stream().anyMatch(scan -> scan.contains("klaviyo_list_leased")),
                    planCache + ": the leases counted by their index: " + scans);
            assertTrue(scans.stream().anyMatch(scan -> scan.contains("klaviyo_list_due")),
                    planCache + ": the due lists found by their index: " + scans);
        }
    }

    /**
     * The member-sync claim ranks every due list, but reads again (to lock them) only the head of its
     * ranking, its limit and {@code ListRepository.CLAIM_LOCK_MARGIN}, and reads no account but those
     * that are not active (V17) and those of the lists it claims. Before, it read every due list twice
     * and every account once, at each claim: at a million lists, about 1,400 due and 20,000 accounts,
     * 12.9-25.2 ms a claim against 4.4-10.7 ms now (bench/claim-scale.sh, docs/SCALING.md). Run (and
     * rolled back) with the plan for any value and the plan for these values.
     */
    @Test
    void theMemberSyncClaimReadsAgainOnlyTheHeadOfItsRanking() throws Exception {
        int claimed = 4;
        int margin = claimConstant("CLAIM_LOCK_MARGIN");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            accounts(statement, "due", 400, "active");
            statement.execute("""
                    insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at)
                    select a.id, 'D' || n, 'list', 'discovery', now() - n * interval '1 second'
                      from account a, generate_series(1, 3) n
                     where a.name like 'due %'""");
            statement.execute("analyze account, klaviyo_list");
            long inactiveAccounts = count(statement, "select count(*) from account where status <> 'active'");
            long due = count(statement, "select count(*) from klaviyo_list where status = 'active' and next_sync_at <= now()");
            long leased = count(statement, "select count(*) from klaviyo_list where lease_until is not null");
            // Read once: the due lists and the leased ones; again: the head locked, then the claimed rows updated.
            Map<String, JsonNode> plans = claimReadsAtMost(connection, statement, claimed, due + leased + 2L * claimed + margin,
                    due + " due");
            plans.forEach((mode, plan) -> {
                long accounts = QueryPlans.rowsRead(plan, "account");
                assertTrue(accounts <= claimed + inactiveAccounts, mode + ": accounts read: " + accounts + " in " + plan);
            });
        }
    }

    /**
     * The lists of an account that is not active are never synced, so they stay overdue for good: the
     * claim must not read them. Until V18 it read them all through the index of due lists and left
     * them out afterwards: with 1,000 such accounts of 50 lists among 1,000,000 lists, 24-32 ms a claim
     * in the steady state instead of 6-11 (bench/claim-scale.sh with INACTIVE_OVERDUE=1). Their lists
     * are flagged here as AccountService has them flagged when it marks the account.
     */
    @Test
    void theMemberSyncClaimReadsNoListOfAnAccountThatIsNotActive() throws Exception {
        int claimed = 4;
        int margin = claimConstant("CLAIM_LOCK_MARGIN");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            accounts(statement, "refused", 100, "auth_failed");
            accounts(statement, "live", 50, "active");
            statement.execute("""
                    insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, account_active)
                    select a.id, 'R' || n, 'list', 'discovery', now() - interval '1 day' - n * interval '1 second', false
                      from account a, generate_series(1, 20) n
                     where a.name like 'refused %'""");
            statement.execute("""
                    insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at)
                    select a.id, 'A' || n, 'list', 'discovery', now() - n * interval '1 second'
                      from account a, generate_series(1, 2) n
                     where a.name like 'live %'""");
            statement.execute("analyze account, klaviyo_list");
            long overdueOfInactive = count(statement, "select count(*) from klaviyo_list where not account_active");
            long due = count(statement, "select count(*) from klaviyo_list where status = 'active' and account_active and next_sync_at <= now()");
            long leased = count(statement, "select count(*) from klaviyo_list where lease_until is not null");
            claimReadsAtMost(connection, statement, claimed, due + leased + 2L * claimed + margin,
                    due + " due of active accounts, " + overdueOfInactive + " overdue of inactive ones");
        }
    }

    /**
     * In a backlog the member-sync claim ranks a window of the oldest due lists, not every due list:
     * with every one of a million lists due (a fleet stopped for 15 minutes), ranking them all cost
     * 3.2-3.4 s a claim (bench/claim-scale.sh BACKLOG_DUE=1000000, docs/SCALING.md). The lists of an
     * account at its cap are read and passed over, so they are counted in the bound; so are the lists
     * a push made due, which the window adds however new they are.
     */
    @Test
    void theMemberSyncClaimRanksAWindowOfABacklogNotEveryDueList() throws Exception {
        int claimed = 16;
        int margin = claimConstant("CLAIM_LOCK_MARGIN");
        int window = claimConstant("CLAIM_WINDOW");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            accounts(statement, "backlog", 2000, "active");
            statement.execute("""
                    insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, pending_trigger)
                    select a.id, 'B' || n, 'list', 'discovery', now() - interval '1 hour' + n * interval '1 second' + random() * interval '1 second',
                           case when n = 3 and a.name like 'backlog 1_' then 'webhook' end
                      from account a, generate_series(1, 4) n
                     where a.name like 'backlog %'""");
            // One account at its cap of 8, with the oldest lists of all.
            statement.execute("""
                    insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at, lease_owner, lease_until)
                    select a.id, 'C' || n, 'list', 'discovery', now() - interval '2 hours' + n * interval '1 second',
                           case when n <= 8 then 'other-instance' end, case when n <= 8 then now() + interval '1 minute' end
                      from account a, generate_series(1, 500) n
                     where a.name = 'backlog 2000'""");
            statement.execute("analyze account, klaviyo_list");
            long due = count(statement, "select count(*) from klaviyo_list where status = 'active' and account_active and next_sync_at <= now()");
            long leased = count(statement, "select count(*) from klaviyo_list where lease_until is not null");
            long capped = count(statement, "select count(*) from klaviyo_list where klaviyo_list_id like 'C%'");
            long triggered = count(statement, "select count(*) from klaviyo_list where pending_trigger is not null");
            long bound = window + capped + triggered + 2L * leased + 2L * claimed + margin;
            assertTrue(bound < due, "the bound is below the lists due: " + bound + " of " + due);
            claimReadsAtMost(connection, statement, claimed, bound, due + " due");
        }
    }

    /**
     * The webhook claim reads the backlog in id order and stops at its batch: through the index that
     * preceded V12 it read every received event and sorted them, so the more the applier had to do, the
     * more each claim of a hundred cost (since V15 it also reads one entry per account with due
     * events). Run (and rolled back) with the plan for any value and the plan for these values.
     */
    @Test
    void theWebhookClaimReadsNoMoreEventsThanItClaims() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("insert into account (id, name, api_key_enc, status) values ('%s', 'backlog', '\\x00', 'active')"
                    .formatted(BACKLOG_ACCOUNT));
            statement.execute("""
                    insert into webhook_event (account_id, kind, payload, status)
                    select '%s', 'flow', '{}', case when n <= 5000 then 'applied' else 'received' end
                      from generate_series(1, 25000) n""".formatted(BACKLOG_ACCOUNT));
            statement.execute("analyze webhook_event");
            for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
                connection.setAutoCommit(false);
                statement.execute("set local plan_cache_mode = " + mode);
                statement.execute("prepare webhook_claim as " + sql("webhook.apply.WebhookClaimRepository", "CLAIM"));
                JsonNode plan = QueryPlans.top(statement, "explain (analyze, format json) execute webhook_claim('test', 300, 100)");
                connection.rollback();
                connection.setAutoCommit(true);
                statement.execute("deallocate webhook_claim");
                assertEquals(100, plan.path("Actual Rows").asInt(), mode + ": the claim claims its batch");
                long read = QueryPlans.rowsRead(plan, "webhook_event");
                // The batch, plus a few entries to find the one due account and its first event.
                assertTrue(read <= 100 + 3, mode + ": events read for a batch of 100: " + read + " in " + plan);
            }
        }
    }

    /** A sizing constant of the member-sync claim in {@code ListRepository}. */
    private static int claimConstant(String name) throws ReflectiveOperationException {
        return SqlConstants.intOf(Class.forName("io.github.klaviyosync.gateway.list.ListRepository"), name);
    }

    /**
     * Runs the member-sync claim of {@code limit} lists with the generic plan and with the plan for
     * these values, asserts that each claims its limit and reads at most {@code bound} lists, and
     * returns the plans by mode.
     */
    private static Map<String, JsonNode> claimReadsAtMost(Connection connection, Statement statement, int limit, long bound,
            String lists) throws Exception {
        Map<String, JsonNode> plans = new LinkedHashMap<>();
        for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
            JsonNode plan = claimRolledBack(connection, statement, mode, limit);
            assertEquals(limit, plan.path("Actual Rows").asInt(), mode + ": the claim claims its limit");
            long read = QueryPlans.rowsRead(plan, "klaviyo_list");
            assertTrue(read <= bound, mode + ": lists read: " + read + " (" + lists + "), at most " + bound);
            plans.put(mode, plan);
        }
        return plans;
    }

    /** The member-sync claim of {@code limit} lists run under EXPLAIN ANALYZE with plan cache mode {@code mode}, rolled back. */
    private static JsonNode claimRolledBack(Connection connection, Statement statement, String mode, int limit) throws Exception {
        connection.setAutoCommit(false);
        statement.execute("set local plan_cache_mode = " + mode);
        statement.execute("prepare claim_rolled_back as " + sql("list.ListRepository", "CLAIM"));
        JsonNode plan = QueryPlans.top(statement, "explain (analyze, format json) execute claim_rolled_back('test', %d, 8, 30)"
                .formatted(limit));
        connection.rollback();
        connection.setAutoCommit(true);
        statement.execute("deallocate claim_rolled_back");
        return plan;
    }

    /** {@code count} accounts named {@code prefix} and a number, with this status. */
    private static void accounts(Statement statement, String prefix, int count, String status) throws SQLException {
        statement.execute("""
                insert into account (id, name, api_key_enc, status)
                select gen_random_uuid(), '%s ' || n, '\\x00', '%s' from generate_series(1, %d) n""".formatted(prefix, status, count));
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The index condition, recheck and filter of a scan, as PostgreSQL prints them. */
    private static String conditions(JsonNode node) {
        return String.join(" | ", node.path("Index Cond").asText(""), node.path("Recheck Cond").asText(""),
                node.path("Filter").asText(""), node.path("TID Cond").asText(""));
    }

    /** Sent as text (the simple protocol): the driver must not take the statement's {@code $n} for its own. */
    private static JsonNode genericPlan(String name, String sql) throws IOException {
        String url = database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "preferQueryMode=simple";
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
             Statement statement = connection.createStatement()) {
            return QueryPlans.top(statement, "explain (generic_plan, format json) " + sql);
        } catch (SQLException e) {
            throw new IllegalStateException(name + " cannot be planned: " + e.getMessage(), e);
        }
    }

    /** The plan of a prepared statement's execution, with PostgreSQL's plan cache mode {@code planCache}. */
    private static JsonNode plan(String planCache, String prepare, String execute) throws SQLException, IOException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("set plan_cache_mode = " + planCache);
            statement.execute(prepare);
            return QueryPlans.top(statement, "explain (format json) " + execute);
        }
    }


    private static String sql(String owner, String name) throws ReflectiveOperationException {
        return SqlConstants.of(Class.forName("io.github.klaviyosync.gateway." + owner), name);
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getString(1));
            }
            return values;
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.USER, "");
    }
}
