package io.github.klaviyosync.gateway.handover;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The main port's last answer. From {@code gateway.handover.refusal-period} before the end of the
 * shutdown delay, every new request (a client that has not yet heard the instance is going) is
 * answered 503 with {@code Retry-After} and {@code Connection: close} at once, by a plain router
 * handler that needs no bean and no database; Klaviyo sends such a webhook again later, and it
 * reaches another instance. The requests already in flight finish (Quarkus waits for them after the
 * delay), then Quarkus closes the port: a request arriving while it closes would be answered with
 * nothing, and by then clients have been told to go elsewhere.
 */
@ApplicationScoped
public class StoppingGate {

    private static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
            + "\"detail\":\"this instance is stopping; retry\"}";

    private final AtomicBoolean closed = new AtomicBoolean();
    private final String retryAfter;

    StoppingGate(GatewayConfig config) {
        this.retryAfter = Long.toString(Math.max(1, config.webhook().retryAfter().toSeconds()));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::pass);
    }

    /** From now on every new request of the main port is answered 503. */
    void close() {
        closed.set(true);
    }

    private void pass(RoutingContext context) {
        if (!closed.get()) {
            context.next();
            return;
        }
        HttpServerRequest request = context.request();
        // The body is read first (the request arrives paused): closing a connection with unread bytes
        // would reset it under the answer.
        if (request.isEnded()) {
            refuse(context);
        } else {
            request.body().onComplete(ignored -> refuse(context));
            request.resume();
        }
    }

    private void refuse(RoutingContext context) {
        context.response()
                .setStatusCode(503)
                .putHeader("Retry-After", retryAfter)
                .putHeader("Connection", "close")
                .putHeader("Content-Type", "application/problem+json")
                .end(BODY);
    }
}
