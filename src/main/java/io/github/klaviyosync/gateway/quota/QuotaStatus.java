package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.RateTier;
import io.github.klaviyosync.gateway.quota.AccountQuota.BackfillEta;
import io.github.klaviyosync.gateway.quota.AccountQuota.TierUse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accounts' shared budgets as the status API and the metrics show them: read from the budget rows
 * (what every instance leased, less what came back) and the running backfills' runs. A backfill's
 * ETA assumes the tier-L budget of the window is shared evenly by the account's running backfills:
 * pages left × backfills running × window / budget.
 */
@ApplicationScoped
public class QuotaStatus {

    /** Members per page of a member sync (Klaviyo's largest page). */
    private static final int PAGE = 100;

    private final QuotaRepository quotas;
    private final Pool pool;
    private final GatewayConfig.Klaviyo config;

    QuotaStatus(QuotaRepository quotas, Pool pool, GatewayConfig config) {
        this.quotas = quotas;
        this.pool = pool;
        this.config = config.klaviyo();
    }

    /** The budgets of these accounts; an account that made no call lately has an empty one. */
    public Uni<Map<UUID, AccountQuota>> of(Collection<UUID> accountIds) {
        if (accountIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> keys = accountIds.stream().map(UUID::toString).toList();
        return pool.withConnection(connection -> quotas.ofBudgets(connection, keys)
                .chain(rows -> quotas.runningBackfills(connection, accountIds)
                        .map(backfills -> assemble(accountIds, rows, backfills))));
    }

    private Map<UUID, AccountQuota> assemble(Collection<UUID> accountIds, List<QuotaRow> rows, List<BackfillRow> backfills) {
        Map<UUID, List<QuotaRow>> rowsByAccount = new HashMap<>();
        rows.forEach(row -> rowsByAccount.computeIfAbsent(UUID.fromString(row.budgetKey()), key -> new ArrayList<>()).add(row));
        Map<UUID, List<BackfillRow>> backfillsByAccount = new HashMap<>();
        backfills.forEach(backfill -> backfillsByAccount.computeIfAbsent(backfill.accountId(), key -> new ArrayList<>()).add(backfill));
        Map<UUID, AccountQuota> quotasByAccount = new HashMap<>();
        for (UUID accountId : accountIds) {
            List<QuotaRow> accountRows = rowsByAccount.getOrDefault(accountId, List.of());
            List<TierUse> tiers = accountRows.stream()
                    .sorted(Comparator.comparing(QuotaRow::tier).reversed())
                    .map(this::tierUse)
                    .toList();
            int budgetL = accountRows.stream().filter(row -> row.tier() == RateTier.L).mapToInt(QuotaRow::cap).findFirst()
                    .orElse(0);
            List<BackfillRow> running = backfillsByAccount.getOrDefault(accountId, List.of());
            List<BackfillEta> etas = running.stream().map(backfill -> eta(backfill, running.size(), budgetL)).toList();
            quotasByAccount.put(accountId, new AccountQuota(config.quotaShare(), tiers, etas));
        }
        return quotasByAccount;
    }

    /** Every budget of an account that is not deleted, with its Klaviyo account id, and every running backfill, for the gauges. */
    Uni<Gauged> everyAccount() {
        return pool.withConnection(connection -> quotas.accountBudgets(connection)
                .chain(rows -> quotas.runningBackfills(connection, null)
                        .map(backfills -> new Gauged(rows, backfills))));
    }

    /** What the gauges read in one go. */
    record Gauged(List<QuotaRepository.LabelledRow> rows, List<BackfillRow> backfills) {
    }

    TierUse tierUse(QuotaRow row) {
        long window = config.quota().steadyWindow().toMillis();
        int limit = row.tier().steady(config.rateLimits());
        int last = row.lastWindow(window);
        return new TierUse(row.tier().wire(), limit, row.cap(), row.thisWindow(window), last,
                limit == 0 ? 0 : Math.round(1000.0 * last / limit) / 1000.0, row.throttled(), row.throttledAt(),
                row.pausedUntil());
    }

    BackfillEta eta(BackfillRow backfill, int running, int budgetPerWindow) {
        int pagesLeft = Math.max(0, (backfill.expectedProfiles() - backfill.profilesSeen() + PAGE - 1) / PAGE);
        long window = config.quota().steadyWindow().toSeconds();
        long eta = budgetPerWindow <= 0 ? -1 : (long) Math.ceil((double) pagesLeft * running * window / budgetPerWindow);
        return new BackfillEta(backfill.klaviyoListId(), backfill.pages(), pagesLeft, eta);
    }
}
