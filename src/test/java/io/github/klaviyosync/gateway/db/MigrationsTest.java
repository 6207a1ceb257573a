package io.github.klaviyosync.gateway.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migrations, applied by Flyway to an empty PostgreSQL of their own (not the shared test
 * database, which the application has already migrated), build the schema the code relies on.
 */
class MigrationsTest {

    private static EmbeddedPostgresServer database;
    private static MigrateResult firstMigration;

    @BeforeAll
    static void migrateAnEmptyDatabase() {
        database = EmbeddedPostgresServer.startFresh();
        firstMigration = flyway().migrate();
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @Test
    void applyToAnEmptyDatabaseAndThenHaveNothingLeftToDo() {
        assertTrue(firstMigration.success);
        assertEquals(null, firstMigration.initialSchemaVersion, "the database was empty");
        assertEquals("20", firstMigration.targetSchemaVersion);
        assertEquals(0, flyway().migrate().migrationsExecuted);
        flyway().validate();
    }

    @Test
    void createEveryTableOfTheModel() throws SQLException {
        assertEquals(Set.of("account", "list_discovery", "klaviyo_list", "subscriber", "list_membership", "sync_run", "webhook_event", "webhook_claim",
                        "profile_sweep", "account_count", "klaviyo_quota", "member_change", "member_change_horizon",
                        "flyway_schema_history"),
                new TreeSet<>(strings("select table_name from information_schema.tables where table_schema = 'public'")));
    }

    @Test
    void createTheIndexesTheQueriesNeed() throws SQLException {
        List<String> indexes = strings("select indexname || ': ' || indexdef from pg_indexes where schemaname = 'public'");
        assertHas(indexes, "klaviyo_list_due: CREATE INDEX klaviyo_list_due ON public.klaviyo_list USING btree (next_sync_at) WHERE ((status = 'active'::text) AND account_active)");
        assertHas(indexes, "klaviyo_list_triggered: CREATE INDEX klaviyo_list_triggered ON public.klaviyo_list USING btree (next_sync_at) WHERE ((pending_trigger IS NOT NULL) AND (status = 'active'::text) AND account_active)");
        assertHas(indexes, "list_discovery_due: CREATE INDEX list_discovery_due ON public.list_discovery USING btree (next_discovery_at)");
        assertHas(indexes, "webhook_event_due: CREATE INDEX webhook_event_due ON public.webhook_event USING btree (account_id, id) WHERE (status = 'received'::text)");
        assertHas(indexes, "list_membership_page: CREATE INDEX list_membership_page ON public.list_membership USING btree (list_id, joined_at, subscriber_id)");
        assertHas(indexes, "list_membership_first_seen: CREATE INDEX list_membership_first_seen ON public.list_membership USING btree (account_id, first_seen_at)");
        assertHas(indexes, "sync_run_account_recent: CREATE INDEX sync_run_account_recent ON public.sync_run USING btree (account_id, started_at DESC, id DESC)");
        assertHas(indexes, "sync_run_running: CREATE INDEX sync_run_running ON public.sync_run USING btree (list_id) WHERE (status = 'running'::text)");
        assertHas(indexes, "klaviyo_list_leased: CREATE INDEX klaviyo_list_leased ON public.klaviyo_list USING btree (account_id) WHERE (lease_until IS NOT NULL)");
        assertHas(indexes, "profile_sweep_due: CREATE INDEX profile_sweep_due ON public.profile_sweep USING btree (next_sweep_at)");
        assertHas(indexes, "list_discovery_check_due: CREATE INDEX list_discovery_check_due ON public.list_discovery USING btree (next_list_check_at)");
        assertHas(indexes, "webhook_event_external: CREATE UNIQUE INDEX webhook_event_external ON public.webhook_event USING btree (account_id, external_id) WHERE (external_id IS NOT NULL)");
        assertHas(indexes, "webhook_event_received: CREATE INDEX webhook_event_received ON public.webhook_event USING btree (received_at)");
        assertHas(indexes, "member_change_feed: CREATE INDEX member_change_feed ON public.member_change USING btree (txid, id)");
        assertHas(indexes, "member_change_account: CREATE INDEX member_change_account ON public.member_change USING btree (account_id, txid, id)");
        assertHas(indexes, "account_klaviyo_account_live: CREATE UNIQUE INDEX account_klaviyo_account_live ON public.account USING btree (klaviyo_account_id) WHERE (status <> 'deleted'::text)");
    }

    @Test
    void createTheKeysThatMakeDuplicatesImpossible() throws SQLException {
        List<String> keys = strings("""
                select conrelid::regclass::text || ' ' || contype::text || ' ' || pg_get_constraintdef(oid)
                from pg_constraint where contype in ('p', 'u') and connamespace = 'public'::regnamespace""");
        assertHas(keys, "klaviyo_list u UNIQUE (account_id, klaviyo_list_id)");
        assertHas(keys, "subscriber u UNIQUE (account_id, klaviyo_profile_id)");
        assertHas(keys, "list_membership p PRIMARY KEY (list_id, subscriber_id)");
        assertHas(keys, "klaviyo_quota p PRIMARY KEY (budget_key, tier)");
    }

    @Test
    void refuseASecondCopyOfOneSystemWebhookEventButAcceptFlowPushesWithoutId() throws SQLException {
        String account = newAccount();
        String event = "insert into webhook_event (account_id, kind, external_id, payload) values ('" + account + "', '%s', %s, '{}')";
        execute(event.formatted("system", "'01JEXTERNAL'"));

        SQLException duplicate = assertThrows(SQLException.class, () -> execute(event.formatted("system", "'01JEXTERNAL'")));
        assertEquals("23505", duplicate.getSQLState(), "unique_violation");
        execute(event.formatted("flow", "null"));
        execute(event.formatted("flow", "null"));
    }

    @Test
    void refuseASecondLiveAccountOfOneKlaviyoAccountButNotADeletedOneOrAMissingId() throws SQLException {
        String klaviyoId = "K" + UUID.randomUUID();
        String live = newAccount();
        execute("update account set klaviyo_account_id = '" + klaviyoId + "' where id = '" + live + "'");
        String second = newAccount();

        SQLException duplicate = assertThrows(SQLException.class,
                () -> execute("update account set klaviyo_account_id = '" + klaviyoId + "' where id = '" + second + "'"));
        assertEquals("23505", duplicate.getSQLState(), "unique_violation");
        execute("update account set status = 'deleted' where id = '" + live + "'");
        execute("update account set klaviyo_account_id = '" + klaviyoId + "' where id = '" + second + "'");
        newAccount();
        newAccount();
        assertEquals(List.of("1"), strings("select count(*) from account where klaviyo_account_id = '" + klaviyoId
                + "' and status <> 'deleted'"));
        assertTrue(Integer.parseInt(strings("select count(*) from account where klaviyo_account_id is null").get(0)) >= 2,
                "accounts without a Klaviyo id never collide");
    }

    @Test
    void refuseWordsOutsideTheContract() throws SQLException {
        String account = newAccount();
        SQLException status = assertThrows(SQLException.class,
                () -> execute("update account set status = 'ACTIVE' where id = '" + account + "'"));
        assertEquals("23514", status.getSQLState(), "check_violation");
        SQLException kind = assertThrows(SQLException.class, () -> execute(
                "insert into sync_run (account_id, kind, trigger) values ('" + account + "', 'members', 'cron')"));
        assertEquals("23514", kind.getSQLState(), "check_violation");
        execute("insert into sync_run (account_id, kind, trigger) values ('" + account + "', 'profiles', 'schedule')");
        SQLException unknownKind = assertThrows(SQLException.class, () -> execute(
                "insert into sync_run (account_id, kind, trigger) values ('" + account + "', 'lists', 'schedule')"));
        assertEquals("23514", unknownKind.getSQLState(), "check_violation");
    }

    @Test
    void refuseAMembershipOfAnotherAccountsList() throws SQLException {
        String owner = newAccount();
        String other = newAccount();
        addList(owner, "L1");
        addPerson(other, "P1");
        String membership = """
                insert into list_membership (list_id, subscriber_id, account_id, source)
                select l.id, s.id, s.account_id, 'poll' from klaviyo_list l, subscriber s
                where l.account_id = '%s' and s.account_id = '%s'""".formatted(owner, other);

        SQLException refused = assertThrows(SQLException.class, () -> execute(membership));
        assertEquals("23503", refused.getSQLState(), "foreign_key_violation");
        addPerson(owner, "P1");
        execute(membership.replace(other, owner));
        assertEquals(List.of("1"), strings("select count(*) from list_membership where account_id = '" + owner + "'"));
    }

    @Test
    void deleteEverythingOfAnAccountWithIt() throws SQLException {
        String account = newAccount();
        addList(account, "L1");
        addPerson(account, "P1");
        execute("""
                insert into list_membership (list_id, subscriber_id, account_id, source)
                select l.id, s.id, l.account_id, 'poll' from klaviyo_list l join subscriber s using (account_id)
                where l.account_id = '%s'""".formatted(account));

        execute("insert into profile_sweep (account_id, updated_cursor) values ('" + account + "', now())");

        execute("delete from account where id = '" + account + "'");

        for (String table : List.of("klaviyo_list", "subscriber", "list_membership", "profile_sweep")) {
            assertEquals(List.of("0"), strings("select count(*) from " + table + " where account_id = '" + account + "'"), table);
        }
    }

    @Test
    void keepEachAccountsCountsOfPeopleAndEventsByStatusAsRowsChange() throws SQLException {
        String account = newAccount();
        String other = newAccount();
        execute("insert into subscriber (account_id, klaviyo_profile_id) select '" + account + "', 'P' || n from generate_series(1, 5) n");
        addPerson(other, "Q1");
        execute("delete from subscriber where account_id = '" + account + "' and klaviyo_profile_id in ('P1', 'P2')");
        execute("insert into webhook_event (account_id, kind, payload) select '" + account + "', 'flow', '{}' from generate_series(1, 4)");
        String rowsOfAccount = "select count(*) from account_count where account_id = '" + account + "'";
        List<String> beforeClaim = strings(rowsOfAccount);
        execute("update webhook_event set attempts = 1, error = 'retried' where account_id = '" + account + "'");
        assertEquals(beforeClaim, strings(rowsOfAccount), "an update of no status appends nothing");
        execute("update webhook_event set status = 'applied' where id in (select id from webhook_event where account_id = '"
                + account + "' order by id limit 3)");
        execute("update webhook_event set status = 'failed' where id in (select id from webhook_event where account_id = '"
                + account + "' and status = 'applied' order by id limit 1)");
        execute("delete from webhook_event where id in (select id from webhook_event where account_id = '" + account
                + "' and status = 'applied' order by id limit 1)");

        execute("insert into webhook_event (account_id, kind, payload, status) values ('" + account + "', 'flow', '{}', 'failed')");
        execute("update webhook_event set status = 'received' where id in (select id from webhook_event where account_id = '"
                + account + "' and status = 'failed' order by id limit 1)");

        assertEquals(List.of("events_applied 1", "events_failed 1", "events_received 2", "subscribers 3"),
                strings("select item || ' ' || sum(delta) from account_count where account_id = '" + account
                        + "' group by item order by item"));
        assertEquals(List.of("subscribers 1"), strings("select item || ' ' || sum(delta) from account_count where account_id = '"
                + other + "' group by item"));
    }

    @Test
    void countTheEventsOfAnInsertInOneRowPerAccountAndStatus() throws SQLException {
        String account = newAccount();
        String other = newAccount();
        execute("insert into webhook_event (account_id, kind, payload, status) select a, 'flow', '{}', s from (values ('"
                + account + "'::uuid, 'received'), ('" + account + "', 'received'), ('" + account + "', 'received'), ('"
                + other + "', 'received'), ('" + account + "', 'failed')) as v(a, s)");

        assertEquals(List.of("events_failed 1 1", "events_received 1 3"), strings(
                "select item || ' ' || count(*) || ' ' || sum(delta) from account_count where account_id = '" + account
                        + "' group by item order by item"), "rows and events counted, by status");
        assertEquals(List.of("events_received 1 1"), strings("select item || ' ' || count(*) || ' ' || sum(delta)"
                + " from account_count where account_id = '" + other + "' group by item"));
    }

    private static Flyway flyway() {
        return Flyway.configure()
                .dataSource(database.jdbcUrl(), EmbeddedPostgresServer.USER, "")
                .locations("classpath:db/migration")
                .load();
    }

    private static String newAccount() throws SQLException {
        String id = UUID.randomUUID().toString();
        execute("insert into account (id, name, api_key_enc) values ('" + id + "', 'test', '\\x00')");
        return id;
    }

    private static void addList(String account, String klaviyoListId) throws SQLException {
        execute("insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via) values ('" + account + "', '"
                + klaviyoListId + "', 'n', 'discovery')");
    }

    private static void addPerson(String account, String profileId) throws SQLException {
        execute("insert into subscriber (account_id, klaviyo_profile_id) values ('" + account + "', '" + profileId + "')");
    }

    private static void assertHas(List<String> actual, String expected) {
        assertTrue(actual.contains(expected), () -> "missing " + expected + " in\n" + String.join("\n", actual));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection connection = connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.USER, "");
    }
}
