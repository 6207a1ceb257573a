package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.privacy.ScrubbedThrowable;
import io.github.klaviyosync.gateway.webhook.WebhookRejection;
import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier.SystemHeaders;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Klaviyo's pushes, served on the Vert.x router itself: the intake is the gateway's hottest path, and
 * a REST resource cost it more (matching, content negotiation, a request context, context propagation,
 * the exception mappers) than the intake's own work. No bearer token: system webhooks prove themselves
 * by signature, flow webhooks by the account's token; {@link WebhookIntake} judges and stores, and 202
 * means stored. The answers are those the REST resource gave (the tests pin them): refusals as
 * {@link WebhookAnswers problem bodies}, 401 and 413 without a body, 405 for other methods, 406 for a
 * client that accepts no JSON. A body above {@code gateway.webhook.max-body-bytes} is refused by the
 * HTTP layer when its Content-Length says so, and here as soon as a chunked body passes the limit.
 * OpenAPI describes both in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class WebhookRoutes {

    private static final Logger LOG = Logger.getLogger(WebhookRoutes.class);
    /** Klaviyo's paths; Vert.x also matches them with a trailing slash, as the REST resource did. */
    static final String SYSTEM_PATH = "/webhooks/klaviyo/:accountId";
    static final String FLOW_PATH = "/webhooks/klaviyo/:accountId/flow";

    private final WebhookIntake intake;
    private final WebhookAnswers answers;
    private final int maxBodyBytes;

    WebhookRoutes(WebhookIntake intake, WebhookAnswers answers, GatewayConfig config) {
        this.intake = intake;
        this.answers = answers;
        this.maxBodyBytes = config.webhook().maxBodyBytes();
    }

    void install(@Observes Router router) {
        router.post(FLOW_PATH).handler(context -> received(context, this::flow));
        router.post(SYSTEM_PATH).handler(context -> received(context, this::system));
        router.route(FLOW_PATH).handler(this::otherMethod);
        router.route(SYSTEM_PATH).handler(this::otherMethod);
    }

    private Uni<StoreResult> flow(RoutingContext context, byte[] body) {
        return intake.receiveFlow(context.pathParam("accountId"), context.request().getHeader("X-Gateway-Token"), body);
    }

    private Uni<StoreResult> system(RoutingContext context, byte[] body) {
        HttpServerRequest request = context.request();
        SystemHeaders headers = new SystemHeaders(request.getHeader("Klaviyo-Webhook-Id"),
                request.getHeader("Klaviyo-Timestamp"), request.getHeader("Klaviyo-Signature"));
        return intake.receiveSystem(context.pathParam("accountId"), headers, body);
    }

    /** The body is read (and dropped) first: an answer that leaves unread bytes behind would break the connection. */
    private void otherMethod(RoutingContext context) {
        LimitedBody.read(context, maxBodyBytes, ignored -> answers.otherMethod(context));
    }

    /** Reads the body (up to the limit), hands it to {@code kind}, and answers on the request's own context. */
    private void received(RoutingContext context, Intake kind) {
        LimitedBody.read(context, maxBodyBytes, body -> {
            if (!answers.acceptsJson(context)) {
                return;
            }
            Context requestContext = Vertx.currentContext();
            Uni<StoreResult> stored;
            try {
                stored = kind.receive(context, body);
            } catch (RuntimeException unexpected) {
                stored = Uni.createFrom().failure(unexpected);
            }
            stored.subscribe().with(
                    result -> onContext(requestContext, () -> answers.accepted(context, result)),
                    failure -> onContext(requestContext, () -> refused(context, failure)));
        });
    }

    private void refused(RoutingContext context, Throwable failure) {
        if (failure instanceof WebhookRejection rejection) {
            answers.rejected(context, rejection);
        } else if (failure instanceof WebhookStorageUnavailable) {
            answers.unavailable(context);
        } else {
            // The intake turns every failure into one of the two above: anything else is a bug.
            LOG.error("unexpected failure of a webhook", ScrubbedThrowable.of(failure));
            answers.unexpected(context);
        }
    }

    /**
     * The inbox's group commit completes many requests at once, some of them on another event loop:
     * each answer is written on its own request's context.
     */
    private static void onContext(Context context, Runnable answer) {
        if (context == null || Vertx.currentContext() == context) {
            answer.run();
        } else {
            context.runOnContext(ignored -> answer.run());
        }
    }

    /** One kind of webhook: the request and its body, to a stored result. */
    @FunctionalInterface
    private interface Intake {
        Uni<StoreResult> receive(RoutingContext context, byte[] body);
    }
}
