package io.github.klaviyosync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Writes one request's events to the inbox in one transaction. The Uni completes only once that
 * transaction has committed, so the caller may acknowledge; a system event already stored (same
 * account and {@code external_id}) is counted as a duplicate and not stored again.
 */
public interface InboxWriter {

    Uni<StoreResult> store(List<NewEvent> events);
}
