package io.github.klaviyosync.gateway.status.api;

import io.github.klaviyosync.gateway.account.Account;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.list.DiscoveryState;
import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.member.ListMembership;
import io.github.klaviyosync.gateway.member.ProfileSweep;
import io.github.klaviyosync.gateway.member.Subscriber;
import io.github.klaviyosync.gateway.quota.AccountQuota;
import io.github.klaviyosync.gateway.syncrun.SyncRun;

/** From entities to the API's answers. The only place that decides what of an entity is shown. */
public final class ApiViews {

    private static final String WEBHOOK_ROOT = "/webhooks/klaviyo/";

    private ApiViews() {
    }

    /**
     * The account without secrets, with how fresh its data is ({@code sweep} and {@code discovery} are
     * null before its first sweep and discovery); {@code flowToken} only when it was just made.
     */
    public static AccountView account(Account account, ProfileSweep sweep, DiscoveryState discovery, String newFlowToken) {
        return account(account, sweep, discovery, newFlowToken, null);
    }

    /** The account without secrets, with how fresh its data is and its Klaviyo rate budget. */
    public static AccountView account(Account account, ProfileSweep sweep, DiscoveryState discovery, AccountQuota quota) {
        return account(account, sweep, discovery, null, quota == null ? null : quota(quota));
    }

    private static AccountView account(Account account, ProfileSweep sweep, DiscoveryState discovery, String newFlowToken,
            QuotaView quota) {
        String systemUrl = WEBHOOK_ROOT + account.id;
        return new AccountView(
                account.id,
                account.name,
                account.klaviyoAccountId,
                wire(account.status),
                account.statusReason,
                account.createdAt,
                sweep == null ? null : sweep.lastCheckedAt,
                discovery == null ? null : discovery.lastListCheckAt,
                discovery == null ? null : discovery.listCheckError,
                new AccountView.WebhookEndpoints(systemUrl, systemUrl + "/flow", newFlowToken, account.webhookSecretSealed != null),
                quota);
    }

    public static AccountView account(Account account, ProfileSweep sweep, DiscoveryState discovery) {
        return account(account, sweep, discovery, (String) null);
    }

    public static QuotaView quota(AccountQuota quota) {
        return new QuotaView(
                quota.share(),
                quota.tiers().stream()
                        .map(tier -> new QuotaView.TierView(tier.tier(), tier.limitPerMinute(), tier.budgetPerMinute(),
                                tier.requestsThisMinute(), tier.requestsLastMinute(), tier.shareInUse(), tier.throttled(),
                                tier.lastThrottledAt(), tier.pausedUntil()))
                        .toList(),
                quota.backfills().stream()
                        .map(backfill -> new QuotaView.BackfillView(backfill.klaviyoListId(), backfill.pagesDone(),
                                backfill.pagesLeft(), backfill.etaSeconds() < 0 ? null : backfill.etaSeconds()))
                        .toList());
    }

    public static ListStatusView list(KlaviyoList list, SyncRun lastRun, long smsSubscribedCount) {
        return new ListStatusView(
                list.klaviyoListId,
                list.name,
                list.discoveredAt,
                wire(list.discoveredVia),
                wire(list.status),
                list.memberCount,
                smsSubscribedCount,
                list.lastSyncedAt,
                list.nextSyncAt,
                wire(list.pendingTrigger),
                lastRun == null ? null : run(lastRun, list.klaviyoListId));
    }

    public static SyncRunView run(SyncRun run, String klaviyoListId) {
        return new SyncRunView(
                run.id,
                klaviyoListId,
                wire(run.kind),
                wire(run.trigger),
                wire(run.status),
                run.fullSync,
                run.startedAt,
                run.finishedAt,
                run.pages,
                run.profilesSeen,
                run.profilesAdded,
                run.profilesRemoved,
                run.profilesChanged,
                run.error);
    }

    public static MemberView member(ListMembership membership, Subscriber subscriber) {
        return new MemberView(
                subscriber.klaviyoProfileId,
                subscriber.email,
                subscriber.phoneE164,
                subscriber.phoneRaw,
                wire(subscriber.smsConsent),
                wire(subscriber.emailConsent),
                membership.joinedAt,
                wire(membership.source),
                membership.removedAt);
    }

    private static String wire(WireValue value) {
        return value == null ? null : value.wire();
    }
}
