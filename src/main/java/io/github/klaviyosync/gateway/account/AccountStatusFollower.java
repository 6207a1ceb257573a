package io.github.klaviyosync.gateway.account;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * What a package above this one keeps in step with whether an account is active (the list package
 * takes the lists of an account that is not active out of the index of due lists), told in the
 * transaction that changes the account's status, after the account's row is written.
 */
public interface AccountStatusFollower {

    /** The account became active ({@code true}: a new key) or stopped being active (auth_failed, deleted). */
    Uni<Void> accountActiveChanged(UUID accountId, boolean active);
}
