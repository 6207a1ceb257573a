package io.github.klaviyosync.gateway.crypto;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.EmbeddedPostgresResource;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * A dump of the whole test database holds no API key, webhook secret or flow token, in any of the
 * forms a dump can show text in (plain, hex as bytea prints, base64). The dump is {@code COPY} of every
 * table over JDBC, which is what {@code pg_dump} writes for data; the machine's {@code pg_dump} (15)
 * refuses the embedded PostgreSQL 17, and when a compatible one is present its output is checked too.
 */
@QuarkusTest
class SecretsAtRestTest {

    @Inject
    SecretBox secretBox;

    @Inject
    TestAccounts testAccounts;

    @Test
    void aDumpOfTheDatabaseHoldsNoSecretInAnyForm() throws Exception {
        ApiFixtures fixtures = new ApiFixtures(secretBox);
        FixtureAccount account = fixtures.account();
        // Secrets written by the API itself: a new webhook secret sealed by the service, a new flow token hashed.
        String newWebhookSecret = TestSecrets.secret("whsec");
        given().auth().oauth2(ApiFixtures.TOKEN).contentType(ContentType.JSON).body(Map.of("webhookSecret", newWebhookSecret))
                .when().patch("/api/accounts/" + account.id()).then().statusCode(200);
        String newFlowToken = TestSecrets.remember(given().auth().oauth2(ApiFixtures.TOKEN)
                .when().post("/api/accounts/" + account.id() + "/flow-token")
                .then().statusCode(200).extract().path("webhooks.flowToken"));

        // An account connected through the API: its key checked by Klaviyo (the simulator), then sealed by the service.
        SimulatedAccount klaviyo = testAccounts.klaviyoAccount();
        String connectedSecret = TestSecrets.secret("whsec");
        var connected = given().auth().oauth2(ApiFixtures.TOKEN).contentType(ContentType.JSON)
                .body(Map.of("name", "Connected shop", "apiKey", klaviyo.apiKey(), "webhookSecret", connectedSecret))
                .when().post("/api/accounts").then().statusCode(201).extract();
        String connectedFlowToken = TestSecrets.remember(connected.path("webhooks.flowToken"));
        String connectedId = connected.path("id");

        String dump = copyEveryTable();
        byte[] sealedKey = (byte[]) TestDatabase.row("select api_key_enc from account where id = ?", account.id()).get("api_key_enc");
        assertTrue(dump.contains(account.id().toString()), "the dump holds the account row");
        assertTrue(dump.contains(HexFormat.of().formatHex(sealedKey)), "the dump holds the sealed key");
        assertEquals(account.apiKey(), secretBox.open(sealedKey, SecretField.API_KEY, account.id()), "and it is the key, sealed");

        assertTrue(dump.contains(connectedId), "the dump holds the connected account's row");
        byte[] connectedKey = (byte[]) TestDatabase.value("select api_key_enc from account where id = ?", UUID.fromString(connectedId));
        assertEquals(klaviyo.apiKey(), secretBox.open(connectedKey, SecretField.API_KEY, UUID.fromString(connectedId)), "its key is stored, sealed");

        List<String> secrets = List.of(account.apiKey(), account.webhookSecret(), account.flowToken(), newWebhookSecret, newFlowToken,
                klaviyo.apiKey(), connectedSecret, connectedFlowToken);
        assertNoSecretIn("COPY dump", dump, secrets);
        pgDump().ifPresent(pgDump -> assertNoSecretIn("pg_dump", pgDump, secrets));
    }

    private static void assertNoSecretIn(String what, String dump, List<String> secrets) {
        for (String secret : secrets) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            assertFalse(dump.contains(secret), what + " holds a secret in plaintext");
            assertFalse(dump.contains(HexFormat.of().formatHex(bytes)), what + " holds a secret as hex");
            assertFalse(dump.contains(Base64.getEncoder().withoutPadding().encodeToString(bytes)), what + " holds a secret as base64");
        }
        // Test emails carry the marker too (for the log checks), and a database rightly stores emails.
        String withoutEmails = dump.replaceAll("[\\w.%+-]*" + TestSecrets.MARKER + "[\\w.%+-]*@[\\w.-]+", "<email>");
        assertFalse(withoutEmails.contains(TestSecrets.MARKER), what + " holds the secrets' marker");
        assertFalse(dump.contains(HexFormat.of().formatHex(TestSecrets.MARKER.getBytes(StandardCharsets.UTF_8))),
                what + " holds the secrets' marker as hex");
    }

    /** The data part of a dump: every table of the schema, as COPY writes it. */
    private static String copyEveryTable() throws Exception {
        StringWriter dump = new StringWriter();
        try (Connection connection = TestDatabase.connect()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet result = connection.createStatement().executeQuery(
                    "select tablename from pg_tables where schemaname = 'public' order by tablename")) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
            assertTrue(tables.contains("account") && tables.contains("webhook_event"), tables.toString());
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (String table : tables) {
                dump.write("-- " + table + "\n");
                copy.copyOut("copy public." + table + " to stdout", dump);
            }
        }
        return dump.toString();
    }

    /** The whole database as {@code pg_dump} writes it, when the machine has one that accepts this server. */
    private static java.util.Optional<String> pgDump() throws IOException, InterruptedException {
        var server = EmbeddedPostgresResource.server();
        Process process;
        try {
            process = new ProcessBuilder("pg_dump", "-h", "localhost", "-p", Integer.toString(server.port()), "-U", "postgres",
                    "--no-password", "postgres").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noPgDump) {
            return java.util.Optional.empty();
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        return finished && process.exitValue() == 0 ? java.util.Optional.of(out) : java.util.Optional.empty();
    }
}
