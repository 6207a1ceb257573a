package io.github.klaviyosync.gateway.account;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * What a package above this one stops when an account is deleted (the list package releases the
 * account's leases and drops its discovery schedule), run in the deletion's transaction. The
 * account package owns only its table: it asks the owners of the others through this.
 */
public interface AccountDeletion {

    /** Stops whatever the implementing package does for the account; in the caller's (Panache) transaction. */
    Uni<Void> accountDeleted(UUID accountId);
}
