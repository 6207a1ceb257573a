package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The training run of the aot profile (pom.xml): the packaged application records what it loads
 * and links (JDK 25, {@code -XX:AOTMode=record}, on the image's JVM flags:
 * {@link AotImageFlags#recording()}) while it starts on a migrated database that asks for a
 * password, as production servers do (SCRAM: the drivers' classes for it go into the cache), and
 * serves a production-like round (probes, metrics, an account connected and its list synced, flow
 * webhooks, the status API, the operator page); after SIGTERM the JVM writes that record, and
 * {@code -XX:AOTMode=create} turns it into the cache {@code gateway.aot.cache}
 * (target/quarkus-app-aot/app.aot), which production starts map with {@code -XX:AOTCache}.
 * Quarkus records the same way in {@code @QuarkusIntegrationTest}s; these integration tests start
 * the package themselves (PackagedApp), so this test does it for them. Only the aot profile sets
 * the property; the default build skips it.
 */
@EnabledIfSystemProperty(named = "gateway.aot.cache", matches = ".+")
class AotTrainingIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(5);
    private static final int MEMBERS = 500;
    private static final int FLOW_PUSHES = 200;

    @Test
    void recordsAProductionLikeRunAndCreatesTheCache() throws Exception {
        Path cache = Path.of(System.getProperty("gateway.aot.cache")).toAbsolutePath();
        Path configuration = cache.resolveSibling("app.aotconf");
        Files.deleteIfExists(cache);
        Files.deleteIfExists(configuration);
        try (ChaosRig rig = new ChaosRig()) {
            SimulatedAccount klaviyo = rig.simulator.createAccount();
            String listId = klaviyo.createList("Training");
            klaviyo.addMembers(listId, MEMBERS, Instant.parse("2026-01-01T00:00:00Z"));
            // Production starts find the schema in place: the training start must too.
            ChaosRig.Gateway migrating = rig.startGateway(Map.of());
            stop(migrating);

            List<String> recording = new ArrayList<>(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration));
            recording.addAll(AotImageFlags.recording());
            ChaosRig.Gateway gateway = rig.startGateway(Map.of(), recording);
            serveARound(rig, gateway, klaviyo, listId);
            stop(gateway);
            assertTrue(Files.size(configuration) > 0, "the training run wrote no AOT configuration:\n" + gateway.app().output());

            String created = create(configuration, cache);
            assertTrue(Files.isRegularFile(cache) && Files.size(cache) > 0, "no AOT cache:\n" + created);

            // A start on the cache authenticates both datasources with SCRAM, as on a production
            // server, and loads none of the SCRAM classes (both clients') from a jar.
            List<String> cached = new ArrayList<>(AotImageFlags.image());
            cached.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:class+load"));
            ChaosRig.Gateway production = rig.startGateway(Map.of(), cached);
            stop(production);
            List<String> scram = production.app().output().lines()
                    .filter(line -> line.contains("ongres.scram.") || line.contains(".ScramAuthenticator "))
                    .toList();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(rig.database.jdbcUrl(),
                    EmbeddedPostgresServer.USER, "").close(), "the database asks for a password: the start used SCRAM");
            assertTrue(scram.stream().anyMatch(line -> line.contains(" org.postgresql.core.v3.ScramAuthenticator ")),
                    "the class-load log names the JDBC driver's SCRAM classes");
            assertTrue(scram.stream().anyMatch(line -> line.contains(" com.ongres.scram.client.ScramClient ")),
                    "and the reactive client's");
            assertEquals(List.of(), scram.stream().filter(line -> line.contains("source: file:")).toList(),
                    "SCRAM classes the cache lacks");
        }
        Files.deleteIfExists(configuration);
    }

    private static void serveARound(ChaosRig rig, ChaosRig.Gateway gateway, SimulatedAccount klaviyo, String listId) throws Exception {
        assertEquals(200, get(rig, gateway.management() + "/q/health/live", false));
        assertEquals(200, get(rig, gateway.management() + "/q/metrics", false));
        String account = rig.connect(gateway, "{\"name\":\"Training\",\"apiKey\":\"" + klaviyo.apiKey() + "\"}");
        String accountId = ChaosRig.field(account, "id");
        ChaosRig.await("the list is backfilled", Duration.ofSeconds(60),
                () -> rig.count("select count(*) from sync_run where kind = 'members' and status = 'succeeded'") == 1);
        for (int i = 0; i < FLOW_PUSHES; i++) {
            String push = "{\"list_id\":\"" + listId + "\",\"profile_id\":\"" + String.format("01JW99%020d", i)
                    + "\",\"email\":\"\",\"phone_number\":\"+1415555" + String.format("%04d", i) + "\"}";
            int status = rig.send(HttpRequest.newBuilder(URI.create(gateway.base() + "/webhooks/klaviyo/" + accountId + "/flow"))
                    .header("Content-Type", "application/json")
                    .header("X-Gateway-Token", ChaosRig.field(account, "flowToken"))
                    .POST(HttpRequest.BodyPublishers.ofString(push))).statusCode();
            assertEquals(202, status, "flow push " + i);
        }
        for (String path : List.of("/api/status", "/api/accounts", "/api/accounts/" + accountId,
                "/api/accounts/" + accountId + "/lists")) {
            assertEquals(200, get(rig, gateway.base() + path, true), path);
        }
        assertEquals(200, get(rig, gateway.base() + "/", false));
        assertEquals(200, get(rig, gateway.management() + "/q/health/ready", false));
    }

    private static int get(ChaosRig rig, String url, boolean authorized) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorized) {
            request.header("Authorization", "Bearer " + ChaosRig.API_TOKEN);
        }
        return rig.send(request).statusCode();
    }

    /** SIGTERM, as Kubernetes stops a pod; a recording JVM writes its configuration as it exits. */
    private static void stop(ChaosRig.Gateway gateway) throws InterruptedException {
        gateway.app().terminate();
        gateway.app().awaitExit(EXIT_TIMEOUT);
    }

    /** {@code java -XX:AOTMode=create}: the cache from the recorded configuration, for the same class path. */
    private static String create(Path configuration, Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = PackagedApp.APP_DIR.resolve("quarkus-run.jar").toAbsolutePath();
        Process process = new ProcessBuilder(java, "-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                "-XX:AOTCache=" + cache, "-jar", jar.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the AOT cache creation did not end:\n" + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
