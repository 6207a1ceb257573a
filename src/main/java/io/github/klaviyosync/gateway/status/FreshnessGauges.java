package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.status.query.MetricQueries;
import io.github.klaviyosync.gateway.status.query.MetricQueries.AccountFreshness;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * How fresh each account's data is, for alerts: {@code gateway_profile_sweep_age_seconds{account}},
 * the seconds since its stored members' consent and contact data were last checked (the start of the
 * last complete profile sweep), and {@code gateway_list_check_age_seconds{account}}, since its lists
 * were last checked for new and renamed ones; each counts from the account's connection while it has
 * never been checked. Accounts that are not deleted; refreshed from the database on a schedule and
 * only read from memory by a scrape. Labelled like {@link SyncAgeGauges}: Klaviyo's account id, never
 * the gateway's.
 */
@ApplicationScoped
public class FreshnessGauges {

    static final String PROFILE_SWEEP_AGE = "gateway.profile.sweep.age";
    static final String LIST_CHECK_AGE = "gateway.list.check.age";
    private static final Logger LOG = Logger.getLogger(FreshnessGauges.class);

    private final MeterRegistry registry;
    private final MetricQueries queries;
    private final Map<AccountKey, Clocks> accounts = new ConcurrentHashMap<>();

    FreshnessGauges(MeterRegistry registry, MetricQueries queries) {
        this.registry = registry;
        this.queries = queries;
    }

    private record AccountKey(UUID accountId, String label) {
    }

    /** The instants an account's two ages count from; read by the gauges at each scrape. */
    private static final class Clocks {
        volatile Instant profilesSince = Instant.now();
        volatile Instant listsSince = Instant.now();
        Gauge profiles;
        Gauge lists;

        static double secondsSince(Instant since) {
            return (System.currentTimeMillis() - since.toEpochMilli()) / 1000.0;
        }
    }

    @Scheduled(every = "${gateway.api.metrics-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return queries.accountFreshness()
                .invoke(this::update)
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf("freshness gauges not refreshed (%s); they keep their last values", failure.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    private void update(List<AccountFreshness> freshness) {
        Set<AccountKey> present = freshness.stream()
                .map(FreshnessGauges::keyOf)
                .collect(Collectors.toSet());
        for (AccountFreshness account : freshness) {
            Clocks clocks = accounts.computeIfAbsent(keyOf(account), this::register);
            clocks.profilesSince = account.profilesCheckedAt() != null ? account.profilesCheckedAt() : account.createdAt();
            clocks.listsSince = account.listsCheckedAt() != null ? account.listsCheckedAt() : account.createdAt();
        }
        accounts.keySet().removeIf(key -> {
            if (present.contains(key)) {
                return false;
            }
            Clocks gone = accounts.get(key);
            registry.remove(gone.profiles);
            registry.remove(gone.lists);
            return true;
        });
    }

    private static AccountKey keyOf(AccountFreshness account) {
        return new AccountKey(account.accountId(), AccountCredentials.metricLabel(account.accountId(), account.klaviyoAccountId()));
    }

    private Clocks register(AccountKey key) {
        Clocks clocks = new Clocks();
        clocks.profiles = Gauge.builder(PROFILE_SWEEP_AGE, clocks, held -> Clocks.secondsSince(held.profilesSince))
                .description("Seconds since the account's stored members' consent and contact data were last checked "
                        + "(the start of its last complete profile sweep; since its connection while never swept)")
                .baseUnit("seconds")
                .tag("account", key.label())
                .register(registry);
        clocks.lists = Gauge.builder(LIST_CHECK_AGE, clocks, held -> Clocks.secondsSince(held.listsSince))
                .description("Seconds since the account's lists were last checked for new and renamed ones "
                        + "(a list check or discovery that succeeded; since its connection while never checked)")
                .baseUnit("seconds")
                .tag("account", key.label())
                .register(registry);
        return clocks;
    }
}
