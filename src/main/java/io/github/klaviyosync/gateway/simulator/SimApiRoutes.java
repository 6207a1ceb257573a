package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Serves the Klaviyo API on a Vert.x router: revision header, API key, the installed
 * {@link ContractCheck} (first, so that no off-spec request slips through behind a fault), injected
 * faults, the account's rate limits, strict query validation as Klaviyo's, then the operation
 * itself; every JSON answer is checked on its way out. Every answer past the rate limiter carries
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} for the steady
 * window, except a 429, which carries {@code Retry-After} (unless the account is told not to) and
 * nothing else, like the 429s seen from Klaviyo.
 */
final class SimApiRoutes {

    private static final Logger LOG = Logger.getLogger(SimApiRoutes.class);
    private static final String KEY_PREFIX = "Klaviyo-API-Key ";

    private final KlaviyoSimulator simulator;

    SimApiRoutes(KlaviyoSimulator simulator) {
        this.simulator = simulator;
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        route(router, "/api/accounts", SimOperation.GET_ACCOUNTS, SimHandlers::accounts);
        route(router, "/api/lists", SimOperation.GET_LISTS, SimHandlers::lists);
        route(router, "/api/lists/:id", SimOperation.GET_LIST, SimHandlers::list);
        routeWritten(router, "/api/lists/:id/profiles", SimOperation.GET_PROFILES_FOR_LIST,
                call -> SimHandlers.members(call, false));
        routeWritten(router, "/api/lists/:id/relationships/profiles", SimOperation.GET_PROFILE_IDS_FOR_LIST,
                call -> SimHandlers.members(call, true));
        route(router, "/api/profiles", SimOperation.GET_PROFILES, SimHandlers::profiles);
        route(router, "/api/profiles/:id", SimOperation.GET_PROFILE, SimHandlers::profile);
        route(router, "/api/profiles/:id/relationships/lists", SimOperation.GET_LIST_IDS_FOR_PROFILE, SimHandlers::profileLists);
        router.route().handler(ctx -> send(ctx, SimAnswer.error(404, "not_found", "Not found.",
                "No Klaviyo API operation at " + ctx.request().path() + " (" + ctx.request().method() + ").")));
        return router;
    }

    private void route(Router router, String path, SimOperation operation, Function<SimHandlers.Call, JsonObject> handler) {
        routeWritten(router, path, operation, handler.andThen(JsonObject::encode));
    }

    /** A route whose handler writes its JSON answer out itself. */
    private void routeWritten(Router router, String path, SimOperation operation, Function<SimHandlers.Call, String> handler) {
        router.get(path).handler(ctx -> handle(ctx, operation, handler));
    }

    private void handle(RoutingContext ctx, SimOperation operation, Function<SimHandlers.Call, String> handler) {
        SimulatedAccount account = null;
        SimAnswer answer;
        try {
            SimQuery.checkRevision(ctx.request().getHeader("revision"));
            account = authenticate(ctx.request().getHeader("Authorization"));
            answer = answer(ctx, account, operation, handler);
        } catch (SimulatorRequestException refused) {
            answer = checked(account, operation, SimAnswer.error(refused));
        } catch (RuntimeException bug) {
            LOG.errorf(bug, "The Klaviyo simulator failed on %s", ctx.request().path());
            answer = SimAnswer.error(500, "simulator_error", "The simulator failed.", String.valueOf(bug));
        }
        Duration latency = account == null ? Duration.ZERO : account.faults().takeDelay();
        SimAnswer finalAnswer = answer;
        if (latency.isZero() || latency.isNegative()) {
            send(ctx, finalAnswer);
        } else {
            ctx.vertx().setTimer(latency.toMillis(), ignored -> send(ctx, finalAnswer));
        }
    }

    private SimulatedAccount authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith(KEY_PREFIX)) {
            throw new SimulatorRequestException(401, "not_authenticated", "Authentication credentials were not provided.",
                    "Missing or invalid authorization scheme. Please use Klaviyo-API-Key.", null);
        }
        SimulatedAccount account = simulator.account(authorization.substring(KEY_PREFIX.length()).trim());
        if (account == null) {
            throw incorrectKey();
        }
        return account;
    }

    private static SimulatorRequestException incorrectKey() {
        return new SimulatorRequestException(401, "authentication_failed", "Incorrect authentication credentials.",
                "Incorrect authentication credentials.", null);
    }

    private SimAnswer answer(RoutingContext ctx, SimulatedAccount account, SimOperation operation,
            Function<SimHandlers.Call, String> handler) {
        String pathId = ctx.pathParam("id");
        boolean aboutList = pathId != null && ctx.request().path().contains("/api/lists/");
        String relativePath = ctx.request().path().substring(mountPoint(ctx).length());
        account.counters().request(operation, aboutList ? pathId : null, relativePath, query(ctx));
        if (account.revoked()) {
            throw incorrectKey();
        }
        checkRequestContract(account, operation, ctx);
        if (account.faults().takeHtmlChallenge()) {
            return SimAnswer.cloudflareChallenge();
        }
        int failure = account.faults().takeFailure(simulator.draw());
        if (failure != 0) {
            return checked(account, operation, SimAnswer.error(failure, "error", "Service unavailable.",
                    "Klaviyo is temporarily unavailable (injected failure)."));
        }
        SimRateLimiter.Tier tier = operation.tier(name -> ctx.queryParams().get(name));
        SimRateLimiter.Decision decision = account.rateLimiter().check(operation, tier, System.currentTimeMillis());
        if (!decision.allowed()) {
            account.counters().throttled();
            return throttled(account, operation, decision);
        }
        Map<String, String> rateLimitHeaders = Map.of(
                "RateLimit-Limit", Integer.toString(decision.steadyLimit()),
                "RateLimit-Remaining", Integer.toString(Math.max(0, decision.steadyRemaining())),
                "RateLimit-Reset", Integer.toString(decision.steadyResetSeconds()));
        SimAnswer answer;
        try {
            SimQuery query = SimQuery.parse(operation, ctx.queryParams());
            String base = base(ctx);
            SimHandlers.Call call = new SimHandlers.Call(account, operation, query, pathId, base, relativePath,
                    ctx.request().absoluteURI());
            answer = SimAnswer.json(200, handler.apply(call));
        } catch (SimulatorRequestException refused) {
            answer = SimAnswer.error(refused);
        }
        return checked(account, operation, answer.withHeaders(rateLimitHeaders));
    }

    private SimAnswer throttled(SimulatedAccount account, SimOperation operation, SimRateLimiter.Decision decision) {
        int seconds = decision.retryAfterSeconds();
        SimAnswer answer = SimAnswer.error(429, "throttled", "Request was throttled.",
                "Request was throttled. Expected available in " + seconds + " second" + (seconds == 1 ? "" : "s") + ".");
        if (account.sendsRetryAfter()) {
            answer = answer.withHeaders(Map.of("Retry-After", Integer.toString(seconds)));
        }
        return checked(account, operation, answer);
    }

    private void checkRequestContract(SimulatedAccount account, SimOperation operation, RoutingContext ctx) {
        if (simulator.contractCheck() == ContractCheck.NONE) {
            return;
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : ctx.queryParams().names()) {
            query.put(name, ctx.queryParams().getAll(name));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : List.of("revision", "accept", "content-type")) {
            String value = ctx.request().getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        List<String> problems = simulator.contractCheck().checkRequest(operation.operationId(), query, headers);
        if (!problems.isEmpty()) {
            simulator.recordViolation(account, operation.operationId() + " request: " + problems);
            throw new SimulatorRequestException(400, "spec_violation", "Request breaks Klaviyo's OpenAPI spec.",
                    String.join("; ", problems), firstParameter(problems, query));
        }
    }

    /** Replaces an answer that breaks the contract by a loud 500. */
    private SimAnswer checked(SimulatedAccount account, SimOperation operation, SimAnswer answer) {
        if (!answer.isJson() || simulator.contractCheck() == ContractCheck.NONE) {
            return answer;
        }
        List<String> problems = simulator.contractCheck().checkResponse(operation.operationId(), answer.status(), answer.body());
        if (problems.isEmpty()) {
            return answer;
        }
        simulator.recordViolation(account, operation.operationId() + " answer " + answer.status() + ": " + problems);
        return SimAnswer.error(500, "spec_violation", "The simulator's answer breaks Klaviyo's OpenAPI spec.",
                String.join("; ", problems));
    }

    private static String firstParameter(List<String> problems, Map<String, List<String>> query) {
        return query.keySet().stream().filter(name -> problems.get(0).contains(name)).findFirst().orElse(null);
    }

    private static void send(RoutingContext ctx, SimAnswer answer) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", answer.contentType());
        answer.headers().forEach((name, value) -> ctx.response().putHeader(name, value));
        ctx.response().end(answer.body());
    }

    private static String query(RoutingContext ctx) {
        String query = ctx.request().query();
        return query == null ? "" : "?" + java.net.URLDecoder.decode(query, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String mountPoint(RoutingContext ctx) {
        String mountPoint = ctx.mountPoint();
        if (mountPoint == null) {
            return "";
        }
        return mountPoint.endsWith("/") ? mountPoint.substring(0, mountPoint.length() - 1) : mountPoint;
    }

    /** Scheme, host and mount point as the client addressed us: the prefix of every link. */
    private static String base(RoutingContext ctx) {
        return ctx.request().scheme() + "://" + ctx.request().host() + mountPoint(ctx);
    }
}
