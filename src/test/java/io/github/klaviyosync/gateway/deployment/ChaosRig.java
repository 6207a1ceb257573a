package io.github.klaviyosync.gateway.deployment;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the process-level chaos tests share: a fresh embedded PostgreSQL, the Klaviyo simulator
 * served from the test JVM on a free port, packaged gateways started against both (prod profile,
 * configured by environment only), and small HTTP and SQL helpers. Everything stops on close.
 */
final class ChaosRig implements AutoCloseable {

    static final String API_TOKEN = "chaos-token-3e1d8c55-7a4f9b2e";
    private static final String CRYPTO_KEY = "Q2hhb3NSaWdLZXlGb3JUaGVQYWNrYWdlZEdhdGV3YXk=";
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String DATABASE_PASSWORD = "chaos-rig-database-password";

    final EmbeddedPostgresServer database = EmbeddedPostgresServer.startFresh();
    final KlaviyoSimulator simulator = new KlaviyoSimulator(20261128);
    // HTTP/1.1, as Klaviyo and the probes speak it: one refused request closes its own connection only.
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Vertx vertx = Vertx.vertx();
    private final Router root = Router.router(vertx);
    private final HttpServer simulatorServer;
    private final List<PackagedApp> apps = new ArrayList<>();
    private final List<SeenRequest> seen = new CopyOnWriteArrayList<>();

    ChaosRig() throws Exception {
        // As production servers ask: the gateway's clients authenticate with SCRAM (and the aot
        // build's training run records the classes that takes).
        database.requirePassword(DATABASE_PASSWORD);
        root.route("/*").subRouter(simulator.router(vertx));
        simulatorServer = vertx.createHttpServer().requestHandler(root).listen(0)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A request the simulator received through a replica's own base URL ({@link #klaviyoUrlFor}). */
    record SeenRequest(String replica, String pathAndQuery, Instant at) {
    }

    /**
     * The simulator's base URL for one replica (its {@code GATEWAY_KLAVIYO_BASE_URL}): the same
     * simulator under a path of its own, so the rig knows which replica sent each request and when.
     */
    String klaviyoUrlFor(String replica) {
        String prefix = "/replica-" + replica;
        // Before the catch-all mount of the constructor, which would take these paths too.
        root.route(prefix + "/*").order(-2).handler(context -> {
            seen.add(new SeenRequest(replica, context.request().uri().substring(prefix.length()), Instant.now()));
            context.next();
        });
        root.route(prefix + "/*").order(-1).subRouter(simulator.router(vertx));
        return "http://localhost:" + simulatorServer.actualPort() + prefix;
    }

    /** The requests seen so far through {@link #klaviyoUrlFor} URLs, in arrival order. */
    List<SeenRequest> seenRequests() {
        return List.copyOf(seen);
    }

    /** A gateway on the rig's database and simulator, ready; {@code extra} adds or overrides variables. */
    Gateway startGateway(Map<String, String> extra) throws Exception {
        return startGateway(extra, List.of());
    }

    /** As {@link #startGateway(Map)}, with extra JVM options (see {@link PackagedApp#start(Map, List)}). */
    Gateway startGateway(Map<String, String> extra, List<String> jvmOptions) throws Exception {
        int port = freePort();
        int managementPort = freePort();
        Map<String, String> variables = new HashMap<>();
        variables.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        variables.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        variables.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl());
        variables.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        variables.put("QUARKUS_DATASOURCE_USERNAME", EmbeddedPostgresServer.USER);
        variables.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        variables.put("GATEWAY_API_TOKENS", API_TOKEN);
        variables.put("GATEWAY_CRYPTO_KEY", CRYPTO_KEY);
        variables.put("GATEWAY_KLAVIYO_BASE_URL", "http://localhost:" + simulatorServer.actualPort());
        variables.putAll(extra);
        PackagedApp app = PackagedApp.start(variables, jvmOptions);
        apps.add(app);
        Gateway gateway = new Gateway(app, "http://localhost:" + port, "http://localhost:" + managementPort);
        app.awaitOk(gateway.management() + "/q/health/ready", START_TIMEOUT);
        return gateway;
    }

    /** One running gateway process, the base URL of its main port and of its management port ({@code /q/*}). */
    record Gateway(PackagedApp app, String base, String management) {
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /api/accounts} on {@code gateway}; the answer's JSON. */
    String connect(Gateway gateway, String json) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gateway.base() + "/api/accounts"))
                .header("Authorization", "Bearer " + API_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        if (answer.statusCode() != 201) {
            throw new AssertionError("connecting the account answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    /** A string field of a flat JSON answer (enough for ids and tokens). */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            throw new AssertionError("no " + name + " in " + json);
        }
        start += key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    /** A JDBC connection to the rig's database, with its password. */
    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedPostgresServer.USER, database.password());
    }

    long count(String sql, Object... parameters) {
        try (Connection connection = connect();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    List<Object[]> rows(String sql, Object... parameters) {
        try (Connection connection = connect();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Object[]> result = new ArrayList<>();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rows.getObject(i + 1);
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} every 200 ms; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        apps.forEach(PackagedApp::close);
        vertx.close();
        database.close();
    }
}
