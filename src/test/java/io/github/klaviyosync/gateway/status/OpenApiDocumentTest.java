package io.github.klaviyosync.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/openapi} documents every call of CONTRACT.md's status API that this package serves, with
 * its answer schemas, its problem answers and the bearer scheme (the two webhook-event calls are
 * declared by the webhook package), and the two webhook intake paths, which take no bearer token.
 */
@QuarkusTest
class OpenApiDocumentTest {

    /** Path, method, success status, and the schema of the success answer (null for none; "[]X" for an array). */
    private static final List<List<String>> CALLS = List.of(
            List.of("/api/accounts", "get", "200", "[]Account"),
            List.of("/api/accounts", "post", "201", "Account"),
            List.of("/api/accounts/{id}", "get", "200", "Account"),
            List.of("/api/accounts/{id}", "patch", "200", "Account"),
            List.of("/api/accounts/{id}", "delete", "204", ""),
            List.of("/api/accounts/{id}/flow-token", "post", "200", "Account"),
            List.of("/api/accounts/{id}/lists", "get", "200", "[]ListStatus"),
            List.of("/api/accounts/{id}/lists/{listId}/members", "get", "200", "MemberPage"),
            List.of("/api/accounts/{id}/runs", "get", "200", "[]SyncRun"),
            List.of("/api/accounts/{id}/members-added", "get", "200", "MembersAdded"),
            List.of("/api/accounts/{id}/lists/{listId}/sync", "post", "202", "SyncRequested"),
            List.of("/api/accounts/{id}/discover", "post", "202", "DiscoveryRequested"),
            List.of("/api/accounts/{id}/webhook-events", "get", "200", "[]WebhookEvent"),
            List.of("/api/accounts/{id}/webhook-events/{eventId}/replay", "post", "202", ""),
            List.of("/api/status", "get", "200", "Status"),
            List.of("/api/changes", "get", "200", "ChangePage"));

    private static final Map<String, List<String>> SCHEMA_FIELDS = Map.ofEntries(
            Map.entry("Account", List.of("id", "name", "klaviyoAccountId", "status", "createdAt", "profilesCheckedAt",
                    "listsCheckedAt", "webhooks")),
            Map.entry("AccountWebhooks", List.of("systemUrl", "flowUrl", "flowToken")),
            Map.entry("ListStatus", List.of("listId", "name", "discoveredAt", "discoveredVia", "status", "memberCount", "lastSyncedAt",
                    "nextSyncAt", "lastRun")),
            Map.entry("Member", List.of("profileId", "email", "phone", "phoneRaw", "smsConsent", "emailConsent", "joinedAt", "source",
                    "removedAt")),
            Map.entry("MemberPage", List.of("data", "next")),
            Map.entry("SyncRun", List.of("id", "listId", "kind", "trigger", "status", "startedAt", "finishedAt", "pages", "profilesSeen",
                    "profilesAdded", "error")),
            Map.entry("Status", List.of("accounts", "lists", "subscribers", "memberships", "webhooks", "lastDiscoveryAt",
                    "oldestListSyncAt")),
            Map.entry("WebhookCounts", List.of("received", "applied", "failed")),
            Map.entry("WebhookEvent", List.of("id", "kind", "externalId", "topic", "status", "attempts", "receivedAt", "error")),
            Map.entry("Change", List.of("id", "at", "accountId", "listId", "profileId", "type", "member")),
            Map.entry("ChangePage", List.of("data", "next")),
            Map.entry("Problem", List.of("type", "title", "status", "detail")));

    private static JsonPath document() {
        return Management.given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void documentsEveryCallWithItsAnswerSchemaProblemsAndTheBearerToken() {
        JsonPath document = document();
        Map<String, Object> paths = document.getMap("paths");
        for (List<String> call : CALLS) {
            String path = call.get(0);
            String method = call.get(1);
            String name = method.toUpperCase() + " " + path;
            Map<String, Object> operation = operation(paths, path, method);
            assertNotNull(operation, name + " is documented");
            assertNotNull(operation.get("summary"), name + " has a summary");
            assertNotNull(operation.get("description"), name + " has a description");
            assertTrue(String.valueOf(operation.get("security")).contains("bearer"), name + " requires the bearer token");

            Map<String, Object> responses = map(operation.get("responses"));
            Map<String, Object> success = map(responses.get(call.get(2)));
            assertNotNull(success, name + " documents " + call.get(2));
            assertEquals(call.get(3), schemaName(success), name + " answer schema");
            for (String error : List.of("401", "500", "503")) {
                assertEquals("Problem", problemSchema(map(responses.get(error))), name + " documents " + error + " as a problem");
            }
            responses.keySet().stream().filter(code -> code.startsWith("4") || code.startsWith("5"))
                    .forEach(code -> assertEquals("Problem", problemSchema(map(responses.get(code))), name + " " + code));
        }
    }

    @Test
    void documentsTheErrorAnswersEachCallCanGive() {
        Map<String, Object> paths = document().getMap("paths");
        assertTrue(map(operation(paths, "/api/accounts", "post").get("responses")).containsKey("422"));
        assertTrue(map(operation(paths, "/api/accounts/{id}", "patch").get("responses")).containsKey("422"));
        Map<String, Object> sync = map(operation(paths, "/api/accounts/{id}/lists/{listId}/sync", "post").get("responses"));
        assertTrue(sync.containsKey("404") && sync.containsKey("409") && sync.containsKey("429"));
        assertTrue(String.valueOf(sync.get("429")).contains("Retry-After"));
        Map<String, Object> members = map(operation(paths, "/api/accounts/{id}/lists/{listId}/members", "get").get("responses"));
        assertTrue(members.containsKey("400") && members.containsKey("404"));
        assertTrue(String.valueOf(operation(paths, "/api/accounts/{id}/lists/{listId}/members", "get").get("parameters"))
                .contains("smsConsent"));
    }

    @Test
    void documentsTheChangeStreamAsServerSentEventsWithItsProblemsAndTheBearerToken() {
        Map<String, Object> paths = document().getMap("paths");
        Map<String, Object> page = operation(paths, "/api/changes", "get");
        assertTrue(map(page.get("responses")).keySet().containsAll(List.of("400", "404", "410")));
        Map<String, Object> stream = operation(paths, "/api/changes/stream", "get");
        assertNotNull(stream, "the stream is documented");
        assertNotNull(stream.get("summary"));
        assertTrue(String.valueOf(stream.get("description")).contains("Last-Event-ID"));
        assertTrue(String.valueOf(stream.get("security")).contains("bearer"));
        assertTrue(String.valueOf(stream.get("parameters")).contains("Last-Event-ID"));
        Map<String, Object> responses = map(stream.get("responses"));
        assertTrue(map(map(responses.get("200")).get("content")).containsKey("text/event-stream"));
        for (String problem : List.of("400", "401", "404", "410", "503")) {
            assertEquals("Problem", problemSchema(map(responses.get(problem))), "the stream documents " + problem + " as a problem");
        }
    }

    @Test
    void documentsBothWebhookPathsWithoutTheBearerTokenAndTheirProblemAnswers() {
        Map<String, Object> paths = document().getMap("paths");
        for (String path : List.of("/webhooks/klaviyo/{accountId}", "/webhooks/klaviyo/{accountId}/flow")) {
            Map<String, Object> operation = operation(paths, path, "post");
            assertNotNull(operation, path + " is documented");
            assertNotNull(operation.get("summary"), path + " has a summary");
            assertNotNull(operation.get("description"), path + " has a description");
            assertFalse(String.valueOf(operation.get("security")).contains("bearer"), path + " proves itself without a token");
            Map<String, Object> responses = map(operation.get("responses"));
            assertTrue(responses.keySet().containsAll(List.of("202", "400", "401", "404", "413", "503")), path + " " + responses.keySet());
            for (String problem : List.of("400", "404", "503")) {
                assertEquals("Problem", problemSchema(map(responses.get(problem))), path + " documents " + problem + " as a problem");
            }
            assertNull(map(responses.get("401")).get("content"), path + " answers 401 with an empty body");
            assertNull(map(responses.get("413")).get("content"), path + " answers 413 (the HTTP layer's) with an empty body");
        }
    }

    @Test
    void describesTheSchemasWithTheContractsFieldsAndTheBearerScheme() {
        JsonPath document = document();
        for (var schema : SCHEMA_FIELDS.entrySet()) {
            Map<String, Object> properties = document.getMap("components.schemas." + schema.getKey() + ".properties");
            assertNotNull(properties, schema.getKey() + " is in components");
            for (String field : schema.getValue()) {
                assertTrue(properties.containsKey(field), schema.getKey() + "." + field);
            }
        }
        Map<String, Object> accountFields = document.getMap("components.schemas.Account.properties");
        assertFalse(accountFields.containsKey("apiKey") || accountFields.containsKey("webhookSecret"), "no secret in Account");
        assertEquals("http", document.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", document.getString("components.securitySchemes.bearer.scheme"));
        assertTrue(document.getList("components.schemas.Account.properties.status.enum").contains("auth_failed"));
        assertEquals(List.of("discovery", "members", "profiles"), document.getList("components.schemas.SyncRun.properties.kind.enum"));
    }

    @Test
    void documentsEachAccountsKlaviyoBudget() {
        JsonPath document = document();
        Map<String, List<String>> schemas = Map.of(
                "AccountQuota", List.of("share", "tiers", "backfills"),
                "QuotaTier", List.of("tier", "limitPerMinute", "budgetPerMinute", "requestsThisMinute", "requestsLastMinute",
                        "shareInUse", "throttled", "lastThrottledAt", "pausedUntil"),
                "BackfillEta", List.of("listId", "pagesDone", "pagesLeft", "etaSeconds"));
        schemas.forEach((schema, fields) -> {
            Map<String, Object> properties = document.getMap("components.schemas." + schema + ".properties");
            assertNotNull(properties, schema + " is in components");
            fields.forEach(field -> assertTrue(properties.containsKey(field), schema + "." + field));
        });
        assertTrue(document.getMap("components.schemas.Account.properties").containsKey("quota"), "Account.quota");
    }

    private static Map<String, Object> operation(Map<String, Object> paths, String path, String method) {
        Map<String, Object> item = map(paths.get(path));
        return item == null ? null : map(item.get(method));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static String schemaName(Map<String, Object> response) {
        Map<String, Object> content = map(response.get("content"));
        if (content == null) {
            return "";
        }
        Map<String, Object> schema = map(map(content.get("application/json")).get("schema"));
        if ("array".equals(schema.get("type"))) {
            return "[]" + refName(map(schema.get("items")));
        }
        return refName(schema);
    }

    private static String problemSchema(Map<String, Object> response) {
        assertNotNull(response, "documented");
        return refName(map(map(map(response.get("content")).get("application/problem+json")).get("schema")));
    }

    private static String refName(Map<String, Object> schema) {
        String ref = String.valueOf(schema.get("$ref"));
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
