package io.github.klaviyosync.gateway.simulator;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The demo talks to the gateway the way its users do: the status API with a bearer token, and flow
 * webhooks with the account's flow token, over HTTP to the application itself. Non-blocking: the JDK
 * client answers on its own threads. Failures name the call and the status, never a secret.
 */
final class DemoGateway {

    private static final String ACCOUNTS = "/api/accounts";

    /** An answer other than 2xx. */
    static final class CallFailed extends RuntimeException {
        final int status;

        CallFailed(String call, int status) {
            super(call + " answered " + status, null, false, false);
            this.status = status;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String apiToken;
    private final Duration timeout;

    DemoGateway(URI base, String apiToken, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.base = base;
        this.apiToken = apiToken;
        this.timeout = timeout;
    }

    /** The account of that name that is not deleted, or null. */
    Uni<JsonObject> findAccount(String name) {
        return call("GET", ACCOUNTS, null)
                .map(body -> new JsonArray(body).stream()
                        .map(JsonObject.class::cast)
                        .filter(account -> name.equals(account.getString("name")))
                        .findFirst()
                        .orElse(null));
    }

    /** Connects an account; the answer carries its flow token. */
    Uni<JsonObject> connect(String name, String apiKey) {
        return call("POST", ACCOUNTS, new JsonObject().put("name", name).put("apiKey", apiKey))
                .map(JsonObject::new);
    }

    /** Gives the account its key again, which makes an auth_failed account active. */
    Uni<JsonObject> replaceKey(String accountId, String apiKey) {
        return call("PATCH", ACCOUNTS + "/" + accountId, new JsonObject().put("apiKey", apiKey))
                .map(JsonObject::new);
    }

    Uni<JsonObject> rotateFlowToken(String accountId) {
        return call("POST", ACCOUNTS + "/" + accountId + "/flow-token", null)
                .map(JsonObject::new);
    }

    /** Whether the gateway knows any list of the account yet. */
    Uni<Boolean> hasLists(String accountId) {
        return call("GET", ACCOUNTS + "/" + accountId + "/lists", null)
                .map(body -> !new JsonArray(body).isEmpty());
    }

    /** A flow webhook with CONTRACT.md's body, as a Klaviyo flow would send it for {@code joined}. */
    Uni<Void> pushFlow(String accountId, String flowToken, DemoShop.Joined joined) {
        SimProfile person = joined.person();
        JsonObject body = new JsonObject()
                .put("list_id", joined.listId())
                .put("profile_id", joined.profileId())
                .put("email", orEmpty(person.email()))
                .put("phone_number", orEmpty(person.phone()))
                .put("first_name", orEmpty(person.firstName()))
                .put("last_name", orEmpty(person.lastName()));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/webhooks/klaviyo/" + accountId + "/flow"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Gateway-Token", flowToken)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build();
        return send(request, "POST flow webhook")
                .replaceWithVoid();
    }

    private Uni<String> call(String method, String path, JsonObject body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.encode());
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, publisher)
                .build();
        return send(request, method + " " + path);
    }

    private Uni<String> send(HttpRequest request, String call) {
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new CallFailed(call, response.statusCode());
                    }
                    return response.body();
                });
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
