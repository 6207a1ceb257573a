package io.github.klaviyosync.gateway.webhook.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.problem.Problem;
import io.github.klaviyosync.gateway.webhook.WebhookRejection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The webhook routes' answers, as the REST resource and the problem mappers gave them: 202 with
 * {@code {"stored","duplicates"}}, 401 with no body (a caller must not learn which check failed),
 * other refusals as {@code application/problem+json}, 503 with {@code Retry-After}.
 */
@ApplicationScoped
class WebhookAnswers {

    private static final String JSON = "application/json;charset=UTF-8";
    private static final String ALLOWED = "HEAD, POST, OPTIONS";

    private final ObjectMapper mapper;
    private final long retryAfterSeconds;

    WebhookAnswers(ObjectMapper mapper, GatewayConfig config) {
        this.mapper = mapper;
        this.retryAfterSeconds = Math.max(1, config.webhook().retryAfter().toSeconds());
    }

    void accepted(RoutingContext context, StoreResult result) {
        HttpServerResponse response = context.response();
        if (response.ended()) {
            return;
        }
        // Two numbers: written by hand, in the order the record's JSON had them.
        response.setStatusCode(202)
                .putHeader("Content-Type", JSON)
                .end("{\"stored\":" + result.stored() + ",\"duplicates\":" + result.duplicates() + "}");
    }

    void rejected(RoutingContext context, WebhookRejection rejection) {
        if (rejection.status() == 401) {
            if (!context.response().ended()) {
                context.response().setStatusCode(401).end();
            }
            return;
        }
        problem(context, ApiProblem.withStatus(rejection.status(), rejection.getMessage()));
    }

    void unavailable(RoutingContext context) {
        problem(context, ApiProblem.unavailable("the gateway cannot store webhooks right now; retry later", retryAfterSeconds));
    }

    void unexpected(RoutingContext context) {
        problem(context, ApiProblem.withStatus(500, "an unexpected error occurred; it has been logged"));
    }

    /** Any method but POST: 405 (OPTIONS lists the methods, as JAX-RS did). */
    void otherMethod(RoutingContext context) {
        if (context.request().method() == HttpMethod.OPTIONS) {
            context.response().setStatusCode(200).putHeader("Allow", ALLOWED).end();
            return;
        }
        problem(context, ApiProblem.withStatus(405, "this method is not allowed on this resource"));
    }

    /**
     * Whether the client takes JSON (no {@code Accept}, or a range covering {@code application/json});
     * else it is answered 406 here, before its body is read, as content negotiation did.
     */
    boolean acceptsJson(RoutingContext context) {
        String accept = context.request().getHeader("Accept");
        if (accept == null || accept.isBlank() || coversJson(accept)) {
            return true;
        }
        problem(context, ApiProblem.withStatus(406, "the requested media type cannot be produced; accept application/json"));
        return false;
    }

    static boolean coversJson(String accept) {
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            if ((type.equals("*/*") || type.equals("application/*") || type.equals("application/json") || type.isEmpty())
                    && !refused(parts)) {
                return true;
            }
        }
        return false;
    }

    /** A media range given {@code q=0}: "not acceptable". */
    private static boolean refused(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim()) <= 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private void problem(RoutingContext context, ApiProblem problem) {
        HttpServerResponse response = context.response();
        if (response.ended()) {
            return;
        }
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (problem.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        try {
            response.end(mapper.writeValueAsString(problem.toProblem()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record always serialises", e);
        }
    }
}
