package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.webhook.IntakeAccounts.IntakeAccount;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Writes one request's events to the inbox in one transaction. The Uni completes only once that
 * transaction has committed, so the caller may acknowledge; a system event already stored (same
 * account and {@code external_id}) is counted as a duplicate and not stored again. Each event is
 * stored only if, inside that transaction, the account still exists and still holds the credentials
 * the request was verified with ({@code verifiedWith}: the flow token's hash for flow pushes, the
 * sealed webhook secret and Klaviyo account id for system webhooks); otherwise it is counted as refused.
 */
public interface InboxWriter {

    Uni<StoreResult> store(IntakeAccount verifiedWith, List<NewEvent> events);
}
