package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged application as Kubernetes runs it: {@code java -jar quarkus-run.jar} in the prod
 * profile, configured by CONTRACT.md's variables only, against an empty external PostgreSQL (an
 * embedded one stands in for it).
 */
class PackagedAppIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Beyond delay + timeout: stopping the rest of the application once the HTTP servers are done. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);
    private static final String API_TOKEN = "it-token-0f6c2b9e-5d1a7c3b";
    private static final String CRYPTO_KEY = "Qm9vdHN0cmFwS2V5Rm9yVGhlUGFja2FnZWRBcHBJVDE=";

    /** The database of the start-up failure tests, which must stop before they touch it. */
    private static EmbeddedPostgresServer sharedDatabase;
    /** The database of the start-up checks that run once the beans start, after the migrations. */
    private static EmbeddedPostgresServer migratedDatabase;

    @BeforeAll
    static void startDatabase() {
        sharedDatabase = EmbeddedPostgresServer.startFresh();
        migratedDatabase = EmbeddedPostgresServer.startFresh();
    }

    @AfterAll
    static void stopDatabase() {
        sharedDatabase.close();
        migratedDatabase.close();
    }

    @Test
    void migratesAnEmptyDatabaseAndReportsReady() throws Exception {
        try (EmbeddedPostgresServer database = EmbeddedPostgresServer.startFresh()) {
            Map<String, String> variables = variables(database, freePort());
            String management = "http://localhost:" + variables.get("QUARKUS_MANAGEMENT_PORT");
            try (PackagedApp app = PackagedApp.start(variables)) {
                String readiness = app.awaitOk(management + "/q/health/ready", START_TIMEOUT);

                assertTrue(readiness.contains("\"status\": \"UP\"") || readiness.contains("\"status\":\"UP\""), readiness);
                assertTrue(readiness.contains("Reactive PostgreSQL connections health check"), readiness);
                assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"), appliedMigrations(database));
                assertTrue(tables(database).containsAll(List.of("account", "klaviyo_list", "subscriber", "list_membership",
                        "sync_run", "webhook_event")), () -> "tables: " + tables(database));
                app.awaitOk(management + "/q/health/live", START_TIMEOUT);
                assertTrue(app.awaitOk(management + "/q/metrics", START_TIMEOUT).contains("jvm_memory_used_bytes"));
                String main = "http://localhost:" + variables.get("QUARKUS_HTTP_PORT");
                assertEquals(404, get(main + "/q/health/ready", null).statusCode(), "probes are not on the main port");
                assertEquals(404, get(main + "/q/metrics", null).statusCode(), "metrics are not on the main port");
                assertTrue(app.output().contains("Profile prod activated"), app.output());
                assertSecretsNotLogged(app.output());
                assertEquals(List.of(), app.filesWrittenToTheWorkingDirectory(),
                        "a container's root file system is read-only: only /tmp may be written");
            }
        }
    }

    @Test
    void servesTheOperatorPageAndNeverTheDemoOrTheSimulatorEvenWhenAskedTo() throws Exception {
        try (EmbeddedPostgresServer database = EmbeddedPostgresServer.startFresh()) {
            int port = freePort();
            Map<String, String> variables = variables(database, port);
            variables.put("GATEWAY_DEV_DEMO", "true");
            variables.put("GATEWAY_DEV_DEMO_STEP", "1s");
            String root = "http://localhost:" + port;
            try (PackagedApp app = PackagedApp.start(variables)) {
                app.awaitOk("http://localhost:" + variables.get("QUARKUS_MANAGEMENT_PORT") + "/q/health/ready", START_TIMEOUT);
                // A demo would have connected its account within a few of its 1 s steps.
                Thread.sleep(3000);

                HttpResponse<String> page = get(root + "/", null);
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("<title>Klaviyo sync gateway</title>"), page.body());
                assertEquals(200, get(root + "/js/app.js", null).statusCode());
                assertEquals(404, get(root + "/klaviyo-sim/api/accounts", null).statusCode(), "no simulator is served");
                HttpResponse<String> status = get(root + "/api/status", API_TOKEN);
                assertEquals(200, status.statusCode());
                assertTrue(status.body().contains("\"demo\":false"), status.body());
                assertEquals("[]", get(root + "/api/accounts", API_TOKEN).body(), "no demo account was connected");
                assertTrue(!app.output().contains("Demo mode"), app.output());
            }
        }
    }

    /**
     * Kubernetes' SIGTERM (after the pod's preStop pause): readiness on the management port turns
     * DOWN at once while the main port still answers, for the configured delay; then the process
     * exits within delay + timeout.
     */
    @Test
    void onSigtermTurnsNotReadyAtOnceKeepsAnsweringAndExitsWithinItsBound() throws Exception {
        ShutdownSettings drain = ShutdownSettings.load();
        try (EmbeddedPostgresServer database = EmbeddedPostgresServer.startFresh()) {
            Map<String, String> variables = variables(database, freePort());
            String main = "http://localhost:" + variables.get("QUARKUS_HTTP_PORT");
            String readiness = "http://localhost:" + variables.get("QUARKUS_MANAGEMENT_PORT") + "/q/health/ready";
            try (PackagedApp app = PackagedApp.start(variables)) {
                app.awaitOk(readiness, START_TIMEOUT);
                Instant terminated = Instant.now();
                app.terminate();

                HttpResponse<String> notReady = awaitStatus(readiness, 503, drain.delay());
                assertTrue(notReady.body().contains("DOWN"), notReady.body());
                HttpResponse<String> status = get(main + "/api/status", API_TOKEN);
                Duration drained = Duration.between(terminated, Instant.now());
                assertEquals(200, status.statusCode(), "the main port still answers while not ready: " + status.body());
                assertTrue(drained.compareTo(drain.delay()) < 0, "both within the delay, not after " + drained);

                app.awaitExit(drain.delay().plus(drain.timeout()).plus(EXIT_MARGIN));
                Duration took = Duration.between(terminated, Instant.now());
                assertTrue(took.compareTo(drain.delay()) >= 0, "it kept answering for the delay first, yet exited after " + took);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GATEWAY_CRYPTO_KEY", "GATEWAY_API_TOKENS", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL"})
    void refusesToStartWithoutARequiredVariableAndNamesIt(String missing) throws Exception {
        Map<String, String> variables = variables(sharedDatabase, freePort());
        variables.remove(missing);

        try (PackagedApp app = PackagedApp.start(variables)) {
            assertNotEquals(0, app.awaitExit(START_TIMEOUT), app.output());
            assertTrue(app.output().contains(missing), () -> "the failure does not name " + missing + ":\n" + app.output());
        }
        assertTrue(!tables(sharedDatabase).contains("flyway_schema_history"), "it stopped before migrating anything");
    }

    @Test
    void refusesToStartWithACryptoKeyThatIsNot32Bytes() throws Exception {
        // Its own database: the key is checked when the beans start, after the migrations.
        try (EmbeddedPostgresServer database = EmbeddedPostgresServer.startFresh()) {
            Map<String, String> variables = variables(database, freePort());
            String shortKey = "c2hvcnQta2V5LW9mLTE2Yg==";
            variables.put("GATEWAY_CRYPTO_KEY", shortKey);

            try (PackagedApp app = PackagedApp.start(variables)) {
                assertNotEquals(0, app.awaitExit(START_TIMEOUT), app.output());
                assertTrue(app.output().contains("GATEWAY_CRYPTO_KEY must be base64 of 32 bytes"), app.output());
                assertTrue(!app.output().contains(shortKey), "the rejected key itself must not be logged");
            }
        }
    }

    /** Polls {@code url} until it answers {@code status}; fails after {@code timeout}. */
    private static HttpResponse<String> awaitStatus(String url, int status, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        HttpResponse<String> last = null;
        while (Instant.now().isBefore(deadline)) {
            last = get(url, null);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " did not answer " + status + " within " + timeout + " (last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()) + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GATEWAY_API_TOKENS", "GATEWAY_CRYPTO_KEY"})
    void refusesToStartWithTheValueCommittedForDevModeAndNamesTheVariable(String variable) throws Exception {
        String property = variable.equals("GATEWAY_API_TOKENS") ? "gateway.api.tokens" : "gateway.crypto.key";
        String devValue = committedForDevMode(property);
        Map<String, String> variables = variables(migratedDatabase, freePort());
        variables.put(variable, devValue);

        try (PackagedApp app = PackagedApp.start(variables)) {
            assertNotEquals(0, app.awaitExit(START_TIMEOUT), app.output());
            assertTrue(app.output().contains(variable + " holds a value committed to application.properties"), app.output());
        }
    }

    @Test
    void refusesToStartWithAnApiTokenOf23CharactersAndNamesTheVariable() throws Exception {
        String shortToken = "it-short-token-0f6c2b9e";
        assertEquals(23, shortToken.length());
        Map<String, String> variables = variables(migratedDatabase, freePort());
        variables.put("GATEWAY_API_TOKENS", API_TOKEN + "," + shortToken);

        try (PackagedApp app = PackagedApp.start(variables)) {
            assertNotEquals(0, app.awaitExit(START_TIMEOUT), app.output());
            assertTrue(app.output().contains("GATEWAY_API_TOKENS holds a token of 23 characters; each needs at least 24"),
                    app.output());
            assertTrue(!app.output().contains(shortToken), "the rejected token itself must not be logged");
        }
    }

    /** The value application.properties gives {@code property} in dev mode. */
    private static String committedForDevMode(String property) throws IOException {
        Properties properties = new Properties();
        try (var in = PackagedAppIT.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        String value = properties.getProperty("%dev." + property);
        assertTrue(value != null && !value.isBlank(), "application.properties has no %dev." + property);
        return value;
    }

    private static HttpResponse<String> get(String url, String bearerToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** CONTRACT.md's variables for an app on {@code httpPort} and a free management port. */
    private static Map<String, String> variables(EmbeddedPostgresServer database, int httpPort) throws IOException {
        Map<String, String> variables = new HashMap<>();
        variables.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        variables.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort()));
        variables.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl());
        variables.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        variables.put("QUARKUS_DATASOURCE_USERNAME", EmbeddedPostgresServer.USER);
        variables.put("GATEWAY_API_TOKENS", API_TOKEN);
        variables.put("GATEWAY_CRYPTO_KEY", CRYPTO_KEY);
        return variables;
    }

    private static void assertSecretsNotLogged(String output) {
        assertTrue(!output.contains(API_TOKEN), "an API token reached the log");
        assertTrue(!output.contains(CRYPTO_KEY), "the crypto key reached the log");
    }

    private static List<String> appliedMigrations(EmbeddedPostgresServer database) throws SQLException {
        return column(database, "select version from flyway_schema_history where success order by installed_rank");
    }

    private static List<String> tables(EmbeddedPostgresServer database) {
        try {
            return column(database, "select table_name from information_schema.tables where table_schema = 'public'");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> column(EmbeddedPostgresServer database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
