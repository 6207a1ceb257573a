package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.problem.ApiProblem;
import java.util.UUID;

/** What a call needs of the account it names: that it exists (404), is not deleted, is active (409). */
public final class AccountChecks {

    private AccountChecks() {
    }

    /**
     * The account, or 404 when there is none or it is being purged. Deleted accounts stay readable:
     * their data stays.
     */
    public static Account requireExisting(UUID id, Account account) {
        if (account == null || account.purgeRequestedAt != null) {
            throw ApiProblem.notFound("no account " + id);
        }
        return account;
    }

    /** For changes: 409 once the account is deleted. */
    public static Account requireNotDeleted(UUID id, Account account) {
        requireExisting(id, account);
        if (account.status == AccountStatus.DELETED) {
            throw ApiProblem.conflict("account " + id + " is deleted");
        }
        return account;
    }

    /** For anything that calls Klaviyo: 409 while Klaviyo refuses the account's key. */
    public static Account requireActive(UUID id, Account account) {
        requireNotDeleted(id, account);
        if (account.status == AccountStatus.AUTH_FAILED) {
            throw ApiProblem.conflict("Klaviyo refuses the API key of account " + id
                    + "; replace it with PATCH /api/accounts/" + id);
        }
        return account;
    }
}
