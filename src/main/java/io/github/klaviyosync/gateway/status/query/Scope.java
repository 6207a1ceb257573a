package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.account.Account;
import io.github.klaviyosync.gateway.account.AccountChecks;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.list.ListRepository;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Resolves the account and list a call names, or answers 404. Deleted accounts stay readable. */
@ApplicationScoped
class Scope {

    private final AccountRepository accounts;
    private final ListRepository lists;

    Scope(AccountRepository accounts, ListRepository lists) {
        this.accounts = accounts;
        this.lists = lists;
    }

    Uni<Account> account(UUID accountId) {
        return accounts.findById(accountId)
                .map(account -> AccountChecks.requireExisting(accountId, account));
    }

    Uni<KlaviyoList> list(UUID accountId, String klaviyoListId) {
        return account(accountId)
                .chain(account -> lists.findByKlaviyoId(accountId, klaviyoListId))
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("no list " + klaviyoListId + " in account " + accountId));
    }
}
