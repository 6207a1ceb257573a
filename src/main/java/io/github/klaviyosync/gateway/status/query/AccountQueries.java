package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.account.Account;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Accounts as the API lists them. */
@ApplicationScoped
@WithSession
public class AccountQueries {

    private final AccountRepository accounts;
    private final Scope scope;

    AccountQueries(AccountRepository accounts, Scope scope) {
        this.accounts = accounts;
        this.scope = scope;
    }

    /** Accounts oldest first; deleted ones only when asked for. */
    public Uni<List<Account>> accounts(boolean includeDeleted) {
        return includeDeleted ? accounts.listAll() : accounts.listVisible();
    }

    /** One account, deleted or not; 404 when unknown. */
    public Uni<Account> account(UUID accountId) {
        return scope.account(accountId);
    }
}
