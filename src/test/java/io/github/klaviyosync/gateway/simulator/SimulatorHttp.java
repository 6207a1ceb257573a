package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
