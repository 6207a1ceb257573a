package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthRejected;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.model.AccountInfo;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Connects, updates, rotates and deletes accounts. Keys are checked against Klaviyo before any
 * transaction opens, then stored sealed by {@link SecretBox} for the account and the field; flow
 * tokens are stored as their hash and returned in plaintext only by the call that made them.
 */
@ApplicationScoped
public class AccountService {

    /** The partial unique index of V3: one live account per Klaviyo account. */
    static final String KLAVIYO_ACCOUNT_UNIQUE = "account_klaviyo_account_live";

    private final AccountRepository accounts;
    private final SecretBox secretBox;
    private final KlaviyoKeyCheck keyCheck;
    private final KlaviyoClient klaviyo;
    private final List<AccountDeletion> deletions;
    private final List<AccountStatusFollower> followers;
    private final AccountPurgeJob purges;

    AccountService(AccountRepository accounts, SecretBox secretBox, KlaviyoKeyCheck keyCheck, KlaviyoClient klaviyo,
            @All List<AccountDeletion> deletions, @All List<AccountStatusFollower> followers, AccountPurgeJob purges) {
        this.accounts = accounts;
        this.secretBox = secretBox;
        this.keyCheck = keyCheck;
        this.klaviyo = klaviyo;
        this.deletions = deletions;
        this.followers = followers;
        this.purges = purges;
    }

    /**
     * Checks the key with Klaviyo (422 when refused or when Klaviyo does not say whose it is), then stores
     * the account, due for discovery now; 409 when its Klaviyo account is connected already.
     */
    public Uni<ConnectedAccount> connect(String name, String apiKey, String webhookSecret) {
        AccountInput.requireConnect(name, apiKey, webhookSecret);
        UUID id = UUID.randomUUID();
        return keyCheck.accountOfNewKey(apiKey)
                .chain(owner -> storeNew(id, name.trim(), apiKey, webhookSecret, owner))
                .onFailure(AccountService::isKlaviyoAccountTaken)
                .transform(taken -> ApiProblem.conflict("this Klaviyo account is already connected"));
    }

    /**
     * Two connects of one Klaviyo account at once both pass {@link #storeNew}'s read; the unique index
     * on live accounts' Klaviyo ids refuses the second insert.
     */
    private static boolean isKlaviyoAccountTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation
                    && KLAVIYO_ACCOUNT_UNIQUE.equals(violation.getConstraintName())) {
                return true;
            }
        }
        return false;
    }

    /** A new account has no discovery state yet: the list package's discovery takes it as due now (trigger {@code connect}). */
    @WithTransaction
    Uni<ConnectedAccount> storeNew(UUID id, String name, String apiKey, String webhookSecret, AccountInfo owner) {
        return accounts.findVisibleByKlaviyoId(owner.id())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiProblem.conflict("this Klaviyo account is already connected as " + existing.id);
                    }
                })
                .chain(ignored -> {
                    String flowToken = Tokens.newToken();
                    return accounts.persist(newAccount(id, name, apiKey, webhookSecret, owner, flowToken))
                            .map(stored -> new ConnectedAccount(stored, flowToken));
                });
    }

    private Account newAccount(UUID id, String name, String apiKey, String webhookSecret, AccountInfo owner, String flowToken) {
        Instant now = now();
        Account account = new Account();
        account.id = id;
        account.name = name;
        account.klaviyoAccountId = owner.id();
        account.apiKeySealed = secretBox.seal(apiKey, SecretField.API_KEY, id);
        account.webhookSecretSealed = webhookSecret == null ? null : secretBox.seal(webhookSecret, SecretField.WEBHOOK_SECRET, id);
        account.flowTokenHash = Tokens.hash(flowToken);
        account.status = AccountStatus.ACTIVE;
        account.createdAt = now;
        account.updatedAt = now;
        return account;
    }

    /**
     * Renames the account and replaces its key or webhook secret. A new key is checked with Klaviyo
     * first and must belong to the same Klaviyo account; it makes an {@code auth_failed} account
     * active again and lets the Klaviyo client call for it again.
     */
    public Uni<Account> update(UUID id, String name, String apiKey, String webhookSecret) {
        AccountInput.requireUpdate(name, apiKey, webhookSecret);
        if (apiKey == null) {
            return applyUpdate(id, name, null, webhookSecret);
        }
        // Read first: a deleted account costs no Klaviyo call, and the key's owner is compared with the stored one.
        return accounts.findById(id)
                .map(account -> AccountChecks.requireNotDeleted(id, account))
                .chain(account -> keyCheck.accountOf(id, apiKey).invoke(owner -> requireSameOwner(account, owner)))
                .chain(owner -> applyUpdate(id, name, apiKey, webhookSecret))
                .invoke(() -> klaviyo.resume(id.toString()));
    }

    @WithTransaction
    Uni<Account> applyUpdate(UUID id, String name, String apiKey, String webhookSecret) {
        return accounts.findById(id)
                .map(account -> AccountChecks.requireNotDeleted(id, account))
                .invoke(account -> {
                    if (name != null) {
                        account.name = name.trim();
                    }
                    if (apiKey != null) {
                        account.apiKeySealed = secretBox.seal(apiKey, SecretField.API_KEY, id);
                        account.status = AccountStatus.ACTIVE;
                        account.statusReason = null;
                    }
                    if (webhookSecret != null) {
                        account.webhookSecretSealed = secretBox.seal(webhookSecret, SecretField.WEBHOOK_SECRET, id);
                    }
                    account.updatedAt = now();
                })
                .call(account -> apiKey == null ? Uni.createFrom().voidItem() : writtenThenFollowed(id, true));
    }

    /** A new flow token; the old one stops working at once. */
    @WithTransaction
    public Uni<ConnectedAccount> rotateFlowToken(UUID id) {
        return accounts.findById(id)
                .map(account -> AccountChecks.requireNotDeleted(id, account))
                .map(account -> {
                    String flowToken = Tokens.newToken();
                    account.flowTokenHash = Tokens.hash(flowToken);
                    account.updatedAt = now();
                    return new ConnectedAccount(account, flowToken);
                });
    }

    /**
     * Stops all syncing of the account: it becomes {@code deleted} (the engine claims only lists of
     * active accounts), and the packages that work for it stop ({@link AccountDeletion}: a sync in
     * flight loses its lease at its next page). With {@code purge} it is gone for the API at once (404)
     * and its rows (lists, people, memberships, runs, webhook events, then the account) are deleted in
     * the background, a bounded batch per transaction ({@link AccountPurgeJob}).
     */
    public Uni<Void> delete(UUID id, boolean purge) {
        return markForDeletion(id, purge)
                .invoke(() -> {
                    if (purge) {
                        purges.wakeUp();
                    }
                });
    }

    @WithTransaction
    Uni<Void> markForDeletion(UUID id, boolean purge) {
        return accounts.findById(id)
                .map(account -> AccountChecks.requireExisting(id, account))
                .invoke(account -> {
                    if (purge) {
                        account.purgeRequestedAt = now();
                    }
                })
                .chain(this::markDeleted);
    }

    private Uni<Void> markDeleted(Account account) {
        account.status = AccountStatus.DELETED;
        account.statusReason = "deleted through the API";
        account.updatedAt = now();
        return writtenThenFollowed(account.id, false)
                .chain(() -> stopDeleted(account.id));
    }

    private Uni<Void> stopDeleted(UUID id) {
        return inTurn(deletions, deletion -> deletion.accountDeleted(id));
    }

    /**
     * Klaviyo refused the account's key: it stays {@code auth_failed} until the key is replaced. Only
     * while the account still holds the refused key (its fingerprint): a key replaced meanwhile,
     * through any replica, is not the one refused.
     */
    @WithTransaction
    public Uni<Boolean> markAuthFailed(UUID id, String reason, String refusedKeyFingerprint) {
        return accounts.findById(id)
                .chain(account -> account != null && holds(account, refusedKeyFingerprint)
                        ? accounts.markAuthFailed(id, reason, now())
                        : Uni.createFrom().item(false))
                .call(marked -> marked ? followed(id, false) : Uni.createFrom().voidItem());
    }

    /**
     * Writes the account's changed row, then tells the followers: every status change locks the
     * account's row before its lists, so two changes of one account at once wait instead of deadlocking.
     */
    private Uni<Void> writtenThenFollowed(UUID id, boolean active) {
        return accounts.flush()
                .chain(() -> followed(id, active));
    }

    private Uni<Void> followed(UUID id, boolean active) {
        return inTurn(followers, follower -> follower.accountActiveChanged(id, active));
    }

    /** Calls each of the packages above, one after the other, in the caller's transaction. */
    private static <T> Uni<Void> inTurn(List<T> packages, Function<T, Uni<Void>> call) {
        return Multi.createFrom().iterable(packages)
                .onItem().transformToUniAndConcatenate(call::apply)
                .collect().last()
                .replaceWithVoid();
    }

    private boolean holds(Account account, String keyFingerprint) {
        return KlaviyoAuthRejected.fingerprint(secretBox.open(account.apiKeySealed, SecretField.API_KEY, account.id))
                .equals(keyFingerprint);
    }

    private static void requireSameOwner(Account account, AccountInfo owner) {
        if (account.klaviyoAccountId != null && !Objects.equals(account.klaviyoAccountId, owner.id())) {
            throw ApiProblem.unprocessable("the API key belongs to another Klaviyo account (" + owner.id()
                    + ") than this account's (" + account.klaviyoAccountId + ")");
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
