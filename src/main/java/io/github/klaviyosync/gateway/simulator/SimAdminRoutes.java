package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

/**
 * The simulator's admin API, so that a benchmark in another process can drive it (JSON in and out):
 * <ul>
 * <li>{@code POST /seed} {@code {"accounts":2,"listsPerAccount":3,"membersPerList":1000}} → keys and list ids</li>
 * <li>{@code POST /accounts} {@code {"apiKey"?,"klaviyoAccountId"?,"organizationName"?}} → the account</li>
 * <li>{@code POST /accounts/{key}/lists} {@code {"name"}} → {@code {"id"}}</li>
 * <li>{@code DELETE /accounts/{key}/lists/{listId}}</li>
 * <li>{@code POST /accounts/{key}/lists/{listId}/members} {@code {"count","firstJoinedAt"?,"created"?}} (profiles
 * created then, now by default) or one person
 * {@code {"phone","email","firstName","lastName","smsConsent","emailConsent","joinedAt"?}}</li>
 * <li>{@code DELETE /accounts/{key}/lists/{listId}/members/{profileId}}</li>
 * <li>{@code PATCH /accounts/{key}/lists/{listId}} {@code {"name"}}: a rename (moves the list's {@code updated})</li>
 * <li>{@code POST /accounts/{key}/profiles} {@code {"id"?,"phone","email","firstName","lastName","smsConsent","emailConsent","created"?}}
 * → {@code {"id"}} (a profile on no list; {@code id} e.g. an older profile's 6 characters)</li>
 * <li>{@code PATCH /accounts/{key}/profiles/{profileId}} {@code {"email"?,"phone"?,"firstName"?,"lastName"?,"smsConsent"?,
 * "emailConsent"?,"at"?,"keepUpdated"?}}: changes what is given; {@code keepUpdated} (consent only) leaves
 * {@code updated} where it was</li>
 * <li>{@code POST /accounts/{key}/profiles/{survivorId}/merge} {@code {"mergedId","at"?}}</li>
 * <li>{@code POST /accounts/{key}/rate-limits} {@code {"burstPerSecond","steadyPerMinute","retryAfter","perTier"?,
 * "otherToolsPerMinute"?}}</li>
 * <li>{@code POST /rate-limit-windows} {@code {"burstMillis","steadyMillis"}}: every account's window lengths</li>
 * <li>{@code POST /accounts/{key}/faults} {@code {"unavailableRatio","latencyMillis","unavailable","cloudflareChallenges"}}</li>
 * <li>{@code GET /accounts/{key}/counters} · {@code POST /reset}</li>
 * </ul>
 */
final class SimAdminRoutes {

    private static final Set<String> CONSENT_ONLY = Set.of("smsConsent", "emailConsent", "at", "keepUpdated");

    private final KlaviyoSimulator simulator;

    SimAdminRoutes(KlaviyoSimulator simulator) {
        this.simulator = simulator;
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        router.post("/seed").handler(ctx -> respond(ctx, 201, this::seed));
        router.post("/reset").handler(ctx -> respond(ctx, 200, body -> {
            simulator.reset();
            return new JsonObject();
        }));
        router.post("/accounts").handler(ctx -> respond(ctx, 201, this::createAccount));
        router.post("/accounts/:key/lists").handler(ctx -> respond(ctx, 201,
                body -> new JsonObject().put("id", account(ctx).createList(body.getString("name", "List")))));
        router.delete("/accounts/:key/lists/:listId").handler(ctx -> respond(ctx, 200, body -> {
            account(ctx).deleteList(ctx.pathParam("listId"));
            return new JsonObject();
        }));
        router.post("/accounts/:key/lists/:listId/members").handler(ctx -> respond(ctx, 201, body -> addMembers(ctx, body)));
        router.delete("/accounts/:key/lists/:listId/members/:profileId").handler(ctx -> respond(ctx, 200, body ->
                new JsonObject().put("removed", account(ctx).removeMember(ctx.pathParam("listId"), ctx.pathParam("profileId")))));
        router.patch("/accounts/:key/lists/:listId").handler(ctx -> respond(ctx, 200, body -> new JsonObject()
                .put("updated", JsonApiWriter.time(account(ctx).renameList(ctx.pathParam("listId"), body.getString("name"))))));
        router.post("/accounts/:key/profiles").handler(ctx -> respond(ctx, 201, body -> addProfile(ctx, body)));
        router.patch("/accounts/:key/profiles/:profileId").handler(ctx -> respond(ctx, 200, body -> changeProfile(ctx, body)));
        router.post("/accounts/:key/profiles/:profileId/merge").handler(ctx -> respond(ctx, 200, body -> new JsonObject()
                .put("updated", JsonApiWriter.time(account(ctx).mergeProfiles(ctx.pathParam("profileId"),
                        body.getString("mergedId"), at(body))))));
        router.post("/accounts/:key/rate-limits").handler(ctx -> respond(ctx, 200, body -> rateLimits(ctx, body)));
        router.post("/rate-limit-windows").handler(ctx -> respond(ctx, 200, body -> {
            simulator.setRateLimitWindows(Duration.ofMillis(body.getLong("burstMillis", 1_000L)),
                    Duration.ofMillis(body.getLong("steadyMillis", 60_000L)));
            return new JsonObject();
        }));
        router.post("/accounts/:key/faults").handler(ctx -> respond(ctx, 200, body -> faults(ctx, body)));
        router.get("/accounts/:key/counters").handler(ctx -> respond(ctx, 200, body -> counters(account(ctx))));
        return router;
    }

    private JsonObject seed(JsonObject body) {
        int accounts = body.getInteger("accounts", 1);
        int lists = body.getInteger("listsPerAccount", 1);
        int members = body.getInteger("membersPerList", 100);
        Instant firstJoinedAt = Instant.parse(body.getString("firstJoinedAt", "2026-01-01T00:00:00Z"));
        JsonArray seeded = new JsonArray();
        for (int a = 0; a < accounts; a++) {
            SimulatedAccount account = simulator.createAccount();
            JsonArray listIds = new JsonArray();
            for (int l = 0; l < lists; l++) {
                String listId = account.createList("Seeded list " + (l + 1));
                account.addMembers(listId, members, firstJoinedAt);
                listIds.add(listId);
            }
            seeded.add(describe(account).put("lists", listIds));
        }
        return new JsonObject().put("accounts", seeded);
    }

    private JsonObject createAccount(JsonObject body) {
        SimulatedAccount account = body.getString("apiKey") == null ? simulator.createAccount()
                : simulator.createAccount(body.getString("apiKey"), body.getString("klaviyoAccountId", "SIM001"),
                        body.getString("organizationName", "Simulated store"));
        return describe(account);
    }

    private JsonObject addMembers(RoutingContext ctx, JsonObject body) {
        SimulatedAccount account = account(ctx);
        String listId = ctx.pathParam("listId");
        if (body.containsKey("count")) {
            Instant first = Instant.parse(body.getString("firstJoinedAt", Instant.now().toString()));
            Instant created = body.containsKey("created") ? Instant.parse(body.getString("created")) : null;
            return new JsonObject().put("added", account.addMembers(listId, body.getInteger("count"), first, created).size());
        }
        SimProfile person = person(body);
        Instant joinedAt = Instant.parse(body.getString("joinedAt", Instant.now().toString()));
        return new JsonObject().put("id", account.addMember(listId, person, joinedAt));
    }

    private JsonObject addProfile(RoutingContext ctx, JsonObject body) {
        SimulatedAccount account = account(ctx);
        Instant created = Instant.parse(body.getString("created", Instant.now().toString()));
        SimProfile person = person(body);
        String id = body.getString("id");
        return new JsonObject().put("id", id == null ? account.addProfile(person, created) : account.addProfile(id, person, created));
    }

    /** Contact details first (they move {@code updated}), then consent, both at the same time. */
    private JsonObject changeProfile(RoutingContext ctx, JsonObject body) {
        SimulatedAccount account = account(ctx);
        String profileId = ctx.pathParam("profileId");
        Instant at = at(body);
        String sms = body.getString("smsConsent");
        String email = body.getString("emailConsent");
        if (body.getBoolean("keepUpdated", false)) {
            if (body.fieldNames().stream().anyMatch(name -> !CONSENT_ONLY.contains(name))) {
                throw SimulatorRequestException.invalidParameter("keepUpdated", "keepUpdated changes consent only.");
            }
            return new JsonObject().put("consentAt", JsonApiWriter.time(account.changeConsentKeepingUpdated(profileId, sms, email, at)));
        }
        Instant updated = account.updateProfile(profileId, person -> changed(person, body), at);
        if (sms != null || email != null) {
            updated = account.changeConsent(profileId, sms, email, at);
        }
        return new JsonObject().put("updated", JsonApiWriter.time(updated));
    }

    private static SimProfile changed(SimProfile person, JsonObject body) {
        SimProfile changed = person;
        if (body.containsKey("email")) {
            changed = changed.email(body.getString("email"));
        }
        if (body.containsKey("phone")) {
            changed = changed.phone(body.getString("phone"));
        }
        if (body.containsKey("firstName") || body.containsKey("lastName")) {
            changed = changed.names(body.getString("firstName", person.firstName()), body.getString("lastName", person.lastName()));
        }
        return changed;
    }

    private JsonObject rateLimits(RoutingContext ctx, JsonObject body) {
        SimulatedAccount account = account(ctx);
        account.setRateLimits(body.getInteger("burstPerSecond"), body.getInteger("steadyPerMinute"), body.getBoolean("retryAfter", true));
        if (body.containsKey("perTier")) {
            account.countRateLimitsPerTier(body.getBoolean("perTier"));
        }
        if (body.containsKey("otherToolsPerMinute")) {
            account.otherToolsPerMinute(body.getInteger("otherToolsPerMinute"));
        }
        return new JsonObject();
    }

    private static Instant at(JsonObject body) {
        return Instant.parse(body.getString("at", Instant.now().toString()));
    }

    private static SimProfile person(JsonObject body) {
        return SimProfile.empty()
                .phone(body.getString("phone"))
                .email(body.getString("email"))
                .names(body.getString("firstName"), body.getString("lastName"))
                .smsConsent(body.getString("smsConsent", SimProfile.SUBSCRIBED))
                .emailConsent(body.getString("emailConsent", SimProfile.NEVER_SUBSCRIBED));
    }

    private JsonObject faults(RoutingContext ctx, JsonObject body) {
        SimFaults faults = account(ctx).faults();
        if (body.containsKey("unavailableRatio")) {
            faults.unavailableRatio(body.getDouble("unavailableRatio"));
        }
        if (body.containsKey("latencyMillis")) {
            faults.latency(Duration.ofMillis(body.getLong("latencyMillis")));
        }
        if (body.containsKey("unavailable")) {
            faults.unavailable(body.getInteger("unavailable"));
        }
        if (body.containsKey("cloudflareChallenges")) {
            faults.cloudflareChallenges(body.getInteger("cloudflareChallenges"));
        }
        return new JsonObject();
    }

    private static JsonObject counters(SimulatedAccount account) {
        SimCounters counters = account.counters();
        JsonObject byOperation = new JsonObject();
        for (SimOperation operation : SimOperation.values()) {
            byOperation.put(operation.operationId(), counters.requests(operation.operationId()));
        }
        JsonObject perMinute = new JsonObject();
        counters.requestsPerMinuteWindow().forEach((start, count) -> perMinute.put(start.toString(), count));
        return new JsonObject().put("requests", counters.requests()).put("throttled", counters.throttledCount())
                .put("contractViolations", counters.contractViolations()).put("byOperation", byOperation)
                .put("requestsPerMinuteWindow", perMinute).put("mostRequestsInAMinuteWindow", counters.mostRequestsInAMinuteWindow())
                .put("otherToolsRequests", counters.otherToolsRequests()).put("otherToolsThrottled", counters.otherToolsThrottled())
                .put("membersRendered", account.membersRendered());
    }

    private static JsonObject describe(SimulatedAccount account) {
        return new JsonObject().put("apiKey", account.apiKey()).put("klaviyoAccountId", account.klaviyoAccountId())
                .put("organizationName", account.organizationName());
    }

    private SimulatedAccount account(RoutingContext ctx) {
        SimulatedAccount account = simulator.account(ctx.pathParam("key"));
        if (account == null) {
            throw SimulatorRequestException.notFound("No simulated account with that key.");
        }
        return account;
    }

    private static void respond(RoutingContext ctx, int status, Function<JsonObject, JsonObject> action) {
        JsonObject answer;
        int code = status;
        try {
            JsonObject body = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
            answer = action.apply(body);
        } catch (SimulatorRequestException refused) {
            code = refused.status();
            answer = new JsonObject().put("error", refused.getMessage());
        } catch (RuntimeException bad) {
            code = 400;
            answer = new JsonObject().put("error", bad.getClass().getSimpleName() + ": " + bad.getMessage());
        }
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(answer.encode());
    }
}
