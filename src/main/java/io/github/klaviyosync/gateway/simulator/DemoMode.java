package io.github.klaviyosync.gateway.simulator;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Dev mode's demo ({@code gateway.dev.demo=true}): seeds {@link DemoShop} in the simulator, connects
 * it through the gateway's own API like a user would, and keeps it alive: every step people join its
 * lists (some also pushed as flow webhooks), now and then a new list appears (found by discovery, or
 * announced at once by a push). Idempotent across live reloads: the shop is replayed from the same
 * start into the fresh simulator before the first sync, the account is found again by name, and its
 * key given back if it was refused meanwhile.
 */
@Singleton
@IfBuildProfile(anyOf = {"dev", "test"})
public class DemoMode {

    private static final Logger LOG = Logger.getLogger(DemoMode.class);
    /**
     * When this JVM's demo started; survives dev mode's class loaders (like the embedded PostgreSQL's
     * port), so a live reload replays the same shop. Outside the {@code gateway} configuration prefix.
     */
    static final String STARTED_AT = "klaviyo-sync-gateway.demo.started-at";
    /** Members who joined longer ago than this many steps (while the application was down) are left to the poll. */
    private static final int PUSHED_WITHIN_STEPS = 2;

    private final KlaviyoSimulator simulator;
    private final GatewayConfig.Dev config;
    private final GatewayConfig gatewayConfig;
    private final Vertx vertx;
    private final AtomicBoolean stepping = new AtomicBoolean();
    private DemoShop shop;
    private DemoGateway gateway;
    private Long timer;
    private volatile String accountId;
    private volatile String flowToken;
    private volatile boolean discovered;
    private volatile String lastProblem;

    DemoMode(KlaviyoSimulator simulator, GatewayConfig config, Vertx vertx) {
        this.simulator = simulator;
        this.config = config.dev();
        this.gatewayConfig = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.demo()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Stops changing the shop and pushing; what is in the simulator and the gateway stays. */
    public synchronized void stop() {
        if (timer != null) {
            vertx.cancelTimer(timer);
            timer = null;
        }
    }

    /** The gateway's id of the demo account once it is connected, else null. */
    public String accountId() {
        return accountId;
    }

    /** Forgets the connected account, as a live reload does: the next step finds it again. */
    void forgetAccount() {
        accountId = null;
    }

    private synchronized void start() {
        String simulatorUrl = gatewayConfig.klaviyo().baseUrl();
        if (!simulatorUrl.endsWith(SimulatorBean.MOUNT_PATH)) {
            LOG.warnf("Demo mode needs gateway.klaviyo.base-url to name the simulator this application serves at %s;"
                    + " the demo does not run", SimulatorBean.MOUNT_PATH);
            return;
        }
        URI gatewayUrl = URI.create(simulatorUrl.substring(0, simulatorUrl.length() - SimulatorBean.MOUNT_PATH.length()));
        shop = new DemoShop(simulator, startedAt(), config.demoStep(), config.demoNewListEvery());
        shop.advanceTo(Instant.now());
        gateway = new DemoGateway(gatewayUrl, gatewayConfig.api().tokens().get(0).trim(), gatewayConfig.klaviyo().readTimeout());
        timer = vertx.setPeriodic(config.demoStep().toMillis(), id -> step());
        LOG.infof("Demo mode: the Klaviyo simulator holds \"%s\"; the demo connects it and keeps it changing", DemoShop.NAME);
    }

    private void step() {
        if (!stepping.compareAndSet(false, true)) {
            return;
        }
        Uni<Void> work = accountId == null ? connect() : discovered ? advance() : awaitDiscovery();
        work.subscribe().with(done -> stepped(null), this::stepped);
    }

    private void stepped(Throwable failure) {
        if (failure != null) {
            report(failure);
        }
        stepping.set(false);
    }

    private Uni<Void> connect() {
        return gateway.findAccount(DemoShop.NAME)
                .chain(found -> found == null ? connectNew() : reconnect(found))
                .invoke(this::connected)
                .replaceWithVoid();
    }

    /** A new account, and a push for a list Klaviyo does not have yet: a failed event to replay later. */
    private Uni<JsonObject> connectNew() {
        return gateway.connect(DemoShop.NAME, shop.apiKey())
                .call(account -> gateway.pushFlow(account.getString("id"), flowTokenOf(account), shop.lateMember()));
    }

    private Uni<JsonObject> reconnect(JsonObject found) {
        String id = found.getString("id");
        Uni<JsonObject> active = "auth_failed".equals(found.getString("status"))
                ? gateway.replaceKey(id, shop.apiKey())
                : Uni.createFrom().item(found);
        return active
                .chain(account -> gateway.rotateFlowToken(id));
    }

    private void connected(JsonObject account) {
        accountId = account.getString("id");
        flowToken = flowTokenOf(account);
        discovered = false;
        lastProblem = null;
        LOG.infof("Demo mode: account %s connected; members join every %s, a new list appears every %s",
                accountId, config.demoStep(), config.demoNewListEvery());
    }

    /** Pushes wait for the account's first discovery, so the seeded lists are found the usual way. */
    private Uni<Void> awaitDiscovery() {
        return gateway.hasLists(accountId)
                .invoke(found -> discovered = found)
                .replaceWithVoid();
    }

    private Uni<Void> advance() {
        Instant now = Instant.now();
        DemoShop.Progress progress = shop.advanceTo(now);
        progress.newLists().forEach(list -> LOG.infof("Demo mode: list %s appeared in Klaviyo (%s)", list.listId(),
                list.announcedByPush() ? "announced at once by a flow push" : "for discovery to find"));
        Instant recent = now.minus(config.demoStep().multipliedBy(PUSHED_WITHIN_STEPS));
        List<DemoShop.Joined> pushes = progress.joined().stream()
                .filter(joined -> joined.pushed() && joined.joinedAt().isAfter(recent))
                .toList();
        String account = accountId;
        String token = flowToken;
        return Multi.createFrom().iterable(pushes)
                .onItem().transformToUniAndConcatenate(joined -> gateway.pushFlow(account, token, joined))
                .collect().asList()
                .replaceWithVoid();
    }

    /** Logs each new kind of problem once; a refused token or a vanished account means connecting again. */
    private void report(Throwable failure) {
        if (failure instanceof DemoGateway.CallFailed call && (call.status == 401 || call.status == 404)) {
            accountId = null;
        }
        String problem = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            LOG.infof("Demo mode: %s; trying again in %s", problem, config.demoStep());
        }
    }

    private static Instant startedAt() {
        String started = System.getProperty(STARTED_AT);
        if (started == null) {
            started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            System.setProperty(STARTED_AT, started);
        }
        return Instant.parse(started);
    }

    private static String flowTokenOf(JsonObject account) {
        return account.getJsonObject("webhooks").getString("flowToken");
    }
}
