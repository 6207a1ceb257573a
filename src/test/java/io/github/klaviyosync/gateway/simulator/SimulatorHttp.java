package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A simulator on its own Vert.x server (any free port, no Quarkus, no contract check), the way
 * {@link SimulatorMain} runs it, and a plain HTTP client to talk to it.
 */
final class SimulatorHttp implements AutoCloseable {

    final KlaviyoSimulator simulator = new KlaviyoSimulator(42);
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SimulatorHttp() throws Exception {
        Router root = Router.router(vertx);
        root.route("/__admin/*").subRouter(simulator.adminRouter(vertx));
        root.route("/*").subRouter(simulator.router(vertx));
        server = vertx.createHttpServer().requestHandler(root).listen(0)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String base() {
        return "http://localhost:" + server.actualPort();
    }

    /** GET with the usual Klaviyo headers; {@code pathAndQuery} is sent as written (already encoded). */
    HttpResponse<String> get(String apiKey, String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(absolute(pathAndQuery)))
                .header("Authorization", "Klaviyo-API-Key " + apiKey)
                .header("revision", "2026-07-15")
                .header("Accept", "application/vnd.api+json")
                .GET().build());
    }

    /** GET that must answer 200; its JSON body. */
    JsonObject json(String apiKey, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(apiKey, pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return new JsonObject(response.body());
    }

    /** {@code path?name=value&...} with every name and value URL-encoded. */
    static String path(String path, String... namesAndValues) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            pairs.add(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
    }

    /** The ids of a collection's {@code data}, in order. */
    static List<String> ids(JsonObject document) {
        List<String> ids = new ArrayList<>();
        document.getJsonArray("data").forEach(item -> ids.add(((JsonObject) item).getString("id")));
        return ids;
    }

    /** Every id of a collection, following {@code links.next} from {@code pathAndQuery}. */
    List<String> walk(String apiKey, String pathAndQuery) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        String url = pathAndQuery;
        while (url != null) {
            JsonObject page = json(apiKey, url);
            ids.addAll(ids(page));
            url = page.getJsonObject("links").getString("next");
        }
        return ids;
    }

    /** PATCH with a JSON body (the admin API). */
    HttpResponse<String> patch(String path, JsonObject body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())).build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, JsonObject body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
    }

    String absolute(String pathAndQuery) {
        return pathAndQuery.startsWith("http") ? pathAndQuery : base() + pathAndQuery;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
