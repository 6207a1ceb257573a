package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.quota.AccountQuota.BackfillEta;
import io.github.klaviyosync.gateway.quota.AccountQuota.TierUse;
import io.github.klaviyosync.gateway.quota.QuotaRepository.LabelledRow;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The shared budgets as gauges, refreshed from the database on {@code gateway.api.metrics-refresh}
 * (a scrape reads memory only), all instances together: per account and tier,
 * {@code gateway_klaviyo_quota_requests_last_minute}, {@code gateway_klaviyo_quota_share_in_use} (of
 * Klaviyo's limit) and {@code gateway_klaviyo_quota_throttled} (429s); per running backfill,
 * {@code gateway_backfill_pages_left} and {@code gateway_backfill_eta_seconds}. Accounts are labelled
 * with Klaviyo's account id ({@link AccountCredentials#metricLabel}), never the gateway's.
 */
@ApplicationScoped
class QuotaGauges {

    static final String REQUESTS = "gateway.klaviyo.quota.requests.last.minute";
    static final String SHARE_IN_USE = "gateway.klaviyo.quota.share.in.use";
    static final String THROTTLED = "gateway.klaviyo.quota.throttled";
    static final String PAGES_LEFT = "gateway.backfill.pages.left";
    static final String ETA = "gateway.backfill.eta.seconds";
    private static final Logger LOG = Logger.getLogger(QuotaGauges.class);

    private final MeterRegistry registry;
    private final QuotaStatus status;
    /** Each gauge's current value, by its name and tags; a gauge whose series vanished is removed. */
    private final Map<GaugeKey, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    QuotaGauges(MeterRegistry registry, QuotaStatus status) {
        this.registry = registry;
        this.status = status;
    }

    private record GaugeKey(String name, Tags tags) {
    }

    @Scheduled(every = "${gateway.api.metrics-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return status.everyAccount()
                .invoke(this::update)
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("quota gauges not refreshed (%s); they keep their last values", failure.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    private void update(QuotaStatus.Gauged gauged) {
        Map<GaugeKey, Double> now = new HashMap<>();
        Map<String, Integer> budgetL = new HashMap<>();
        for (LabelledRow labelled : gauged.rows()) {
            String account = AccountCredentials.metricLabel(labelled.accountId(), labelled.klaviyoAccountId());
            TierUse use = status.tierUse(labelled.row());
            Tags tags = Tags.of("account", account, "tier", use.tier());
            now.put(new GaugeKey(REQUESTS, tags), (double) use.requestsLastMinute());
            now.put(new GaugeKey(SHARE_IN_USE, tags), use.shareInUse());
            now.put(new GaugeKey(THROTTLED, tags), (double) use.throttled());
            if ("l".equals(use.tier())) {
                budgetL.put(account, use.budgetPerMinute());
            }
        }
        Map<String, Long> running = new HashMap<>();
        gauged.backfills().forEach(backfill -> running.merge(label(backfill), 1L, Long::sum));
        for (BackfillRow backfill : gauged.backfills()) {
            String account = label(backfill);
            BackfillEta eta = status.eta(backfill, running.get(account).intValue(), budgetL.getOrDefault(account, 0));
            Tags tags = Tags.of("account", account, "list", backfill.klaviyoListId());
            now.put(new GaugeKey(PAGES_LEFT, tags), (double) eta.pagesLeft());
            now.put(new GaugeKey(ETA, tags), (double) eta.etaSeconds());
        }
        now.forEach((key, value) -> values.computeIfAbsent(key, this::register).set(value));
        Set<GaugeKey> gone = new HashSet<>(values.keySet());
        gone.removeAll(now.keySet());
        gone.forEach(key -> {
            values.remove(key);
            registry.find(key.name()).tags(key.tags()).meters().forEach(registry::remove);
        });
    }

    private static String label(BackfillRow backfill) {
        return AccountCredentials.metricLabel(backfill.accountId(), backfill.klaviyoAccountId());
    }

    private AtomicReference<Double> register(GaugeKey key) {
        AtomicReference<Double> value = new AtomicReference<>(0.0);
        Gauge.builder(key.name(), value, AtomicReference::get)
                .description(DESCRIPTIONS.get(key.name()))
                .tags(key.tags())
                .register(registry);
        return value;
    }

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            REQUESTS, "Klaviyo requests of the account's tier in the last complete minute, all instances together",
            SHARE_IN_USE, "Of Klaviyo's per-minute limit of the account's tier, the share the gateway used in the last minute",
            THROTTLED, "429s Klaviyo answered for the account's tier, all instances together",
            PAGES_LEFT, "Pages of members a running backfill has left to fetch",
            ETA, "Seconds until a running backfill ends at the account's budget (-1: unknown)");
}
