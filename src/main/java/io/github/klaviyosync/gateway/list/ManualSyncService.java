package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.account.AccountChecks;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.github.klaviyosync.gateway.syncrun.SyncRunRepository;
import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * "Sync now": records the request on the list row, where the sync engine finds it (the list becomes
 * due, with trigger {@code manual}). The row is locked for the check and the write, so two concurrent
 * requests cannot both pass the cooldown.
 */
@ApplicationScoped
public class ManualSyncService {

    private final AccountRepository accounts;
    private final ListRepository lists;
    private final SyncRunRepository runs;
    private final GatewayConfig config;

    ManualSyncService(AccountRepository accounts, ListRepository lists, SyncRunRepository runs, GatewayConfig config) {
        this.accounts = accounts;
        this.lists = lists;
        this.runs = runs;
        this.config = config;
    }

    /** A recorded request: the list is due at {@code requestedAt}, with a removal check when {@code full}. */
    public record SyncRequest(String klaviyoListId, boolean full, Instant requestedAt) {
    }

    /**
     * 404 for an unknown account or list; 409 when the account cannot sync or the list's sync runs
     * now (a running run whose list lease is still held); 429 inside the manual cooldown.
     */
    @WithTransaction
    public Uni<SyncRequest> requestSync(UUID accountId, String klaviyoListId, boolean full) {
        return accounts.findById(accountId)
                .map(account -> AccountChecks.requireActive(accountId, account))
                .chain(account -> lists.findByKlaviyoIdForUpdate(accountId, klaviyoListId))
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("no list " + klaviyoListId + " in account " + accountId))
                .call(this::requireNotRunning)
                .map(list -> record(list, full));
    }

    private Uni<Boolean> requireNotRunning(KlaviyoList list) {
        if (list.status == ListStatus.DELETED) {
            return Uni.createFrom().failure(ApiProblem.conflict("list " + list.klaviyoListId + " was deleted in Klaviyo"));
        }
        Instant now = Instant.now();
        boolean leaseHeld = list.leaseOwner != null && list.leaseUntil != null && list.leaseUntil.isAfter(now);
        if (!leaseHeld) {
            return Uni.createFrom().item(false);
        }
        return runs.hasRunning(list.id)
                .invoke(running -> {
                    if (running) {
                        throw ApiProblem.conflict("a sync of list " + list.klaviyoListId + " is running now");
                    }
                });
    }

    private SyncRequest record(KlaviyoList list, boolean full) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration cooldown = config.sync().manualCooldown();
        if (list.lastManualAt != null && list.lastManualAt.plus(cooldown).isAfter(now)) {
            Duration left = Duration.between(now, list.lastManualAt.plus(cooldown));
            long retryAfter = Math.max(1, (left.toMillis() + 999) / 1000);
            throw ApiProblem.tooManyRequests("list " + list.klaviyoListId + " was synced on request less than "
                    + cooldown.toSeconds() + " s ago; retry in " + retryAfter + " s", retryAfter);
        }
        list.pendingTrigger = SyncTrigger.MANUAL;
        list.pendingFull = list.pendingFull || full;
        list.nextSyncAt = now;
        list.lastManualAt = now;
        list.updatedAt = now;
        return new SyncRequest(list.klaviyoListId, list.pendingFull, now);
    }
}
