package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.account.Account;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.list.DiscoveryRepository;
import io.github.klaviyosync.gateway.list.DiscoveryState;
import io.github.klaviyosync.gateway.member.ProfileSweep;
import io.github.klaviyosync.gateway.member.ProfileSweepRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Accounts as the API lists them, with how fresh their data is. */
@ApplicationScoped
@WithSession
public class AccountQueries {

    private final AccountRepository accounts;
    private final ProfileSweepRepository sweeps;
    private final DiscoveryRepository discoveries;
    private final Scope scope;

    AccountQueries(AccountRepository accounts, ProfileSweepRepository sweeps, DiscoveryRepository discoveries, Scope scope) {
        this.accounts = accounts;
        this.sweeps = sweeps;
        this.discoveries = discoveries;
        this.scope = scope;
    }

    /** An account with its profile sweep and its discovery state (each null until the account has one). */
    public record AccountState(Account account, ProfileSweep sweep, DiscoveryState discovery) {
    }

    /** Accounts oldest first; deleted ones only when asked for. */
    public Uni<List<AccountState>> accounts(boolean includeDeleted) {
        return (includeDeleted ? accounts.listAll() : accounts.listVisible())
                .chain(this::withStates);
    }

    /** One account, deleted or not; 404 when unknown. */
    public Uni<AccountState> account(UUID accountId) {
        return scope.account(accountId)
                .chain(this::state);
    }

    /** The state of an account at hand (one just changed, say). */
    public Uni<AccountState> state(Account account) {
        return withStates(List.of(account))
                .map(states -> states.get(0));
    }

    private Uni<List<AccountState>> withStates(List<Account> found) {
        List<UUID> ids = found.stream().map(account -> account.id).toList();
        return sweeps.findByAccounts(ids)
                .map(rows -> rows.stream().collect(Collectors.toMap(sweep -> sweep.accountId, Function.identity())))
                .chain(sweepsById -> discoveries.findByAccounts(ids)
                        .map(rows -> states(found, sweepsById, rows)));
    }

    private static List<AccountState> states(List<Account> found, Map<UUID, ProfileSweep> sweepsById,
            List<DiscoveryState> discoveryRows) {
        Map<UUID, DiscoveryState> discoveriesById = discoveryRows.stream()
                .collect(Collectors.toMap(discovery -> discovery.accountId, Function.identity()));
        return found.stream()
                .map(account -> new AccountState(account, sweepsById.get(account.id), discoveriesById.get(account.id)))
                .toList();
    }
}
