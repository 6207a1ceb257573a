package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.status.query.MetricQueries;
import io.github.klaviyosync.gateway.status.query.MetricQueries.ListSync;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Gauges the dashboard and alerts read from {@code /q/metrics}:
 * {@code gateway_list_sync_age_seconds{account,list}}, the seconds since each active list's last
 * successful sync (since its discovery while it has never synced), and {@code gateway_accounts{status}}.
 * Values are refreshed from the database on a schedule and only read from memory by a scrape.
 * Labels are Klaviyo's account and list ids ({@link AccountCredentials#metricLabel}): never the
 * gateway's account id (the secret part of a webhook URL), never personal data.
 */
@ApplicationScoped
public class SyncAgeGauges {

    static final String LIST_SYNC_AGE = "gateway.list.sync.age";
    static final String ACCOUNTS = "gateway.accounts";
    private static final Logger LOG = Logger.getLogger(SyncAgeGauges.class);

    private final MeterRegistry registry;
    private final MetricQueries queries;
    private final Map<ListKey, ListClock> lists = new ConcurrentHashMap<>();
    private final Map<AccountStatus, AtomicLong> accounts = new EnumMap<>(AccountStatus.class);

    SyncAgeGauges(MeterRegistry registry, MetricQueries queries) {
        this.registry = registry;
        this.queries = queries;
        for (AccountStatus status : AccountStatus.values()) {
            AtomicLong count = new AtomicLong();
            accounts.put(status, count);
            Gauge.builder(ACCOUNTS, count, AtomicLong::get)
                    .description("Connected accounts by status")
                    .tag("status", status.wire())
                    .register(registry);
        }
    }

    private record ListKey(UUID accountId, String accountLabel, String klaviyoListId) {
    }

    /** The instant a list's age counts from; read by the gauge at each scrape. */
    private static final class ListClock {
        volatile Instant since;
        Gauge gauge;

        double secondsSince() {
            return (System.currentTimeMillis() - since.toEpochMilli()) / 1000.0;
        }
    }

    @Scheduled(every = "${gateway.api.metrics-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return queries.listSyncs()
                .invoke(this::updateLists)
                .chain(ignored -> queries.accountsByStatus())
                .invoke(this::updateAccounts)
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf("sync-age gauges not refreshed (%s); they keep their last values", failure.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    private void updateLists(List<ListSync> syncs) {
        Set<ListKey> present = syncs.stream()
                .map(SyncAgeGauges::keyOf)
                .collect(Collectors.toSet());
        for (ListSync sync : syncs) {
            ListClock clock = lists.computeIfAbsent(keyOf(sync), this::register);
            clock.since = sync.lastSyncedAt() != null ? sync.lastSyncedAt() : sync.discoveredAt();
        }
        lists.keySet().removeIf(key -> {
            if (present.contains(key)) {
                return false;
            }
            registry.remove(lists.get(key).gauge);
            return true;
        });
    }

    private static ListKey keyOf(ListSync sync) {
        return new ListKey(sync.accountId(), AccountCredentials.metricLabel(sync.accountId(), sync.klaviyoAccountId()), sync.klaviyoListId());
    }

    private ListClock register(ListKey key) {
        ListClock clock = new ListClock();
        clock.since = Instant.now();
        clock.gauge = Gauge.builder(LIST_SYNC_AGE, clock, ListClock::secondsSince)
                .description("Seconds since the list's last successful member sync (since its discovery while never synced)")
                .baseUnit("seconds")
                .tag("account", key.accountLabel())
                .tag("list", key.klaviyoListId())
                .register(registry);
        return clock;
    }

    private void updateAccounts(Map<AccountStatus, Long> counts) {
        accounts.forEach((status, count) -> count.set(counts.getOrDefault(status, 0L)));
    }
}
