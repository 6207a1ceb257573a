package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.UnappliableEvent;
import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * What applying an event may need from Klaviyo: an unknown list's name, a profile the gateway has
 * not seen. Called outside any transaction; a
 * failure (including a client that throws at once) is a failed, retryable apply attempt.
 */
@ApplicationScoped
public class KlaviyoLookups {

    private final AccountRepository accounts;
    private final AccountCredentials accountCredentials;
    private final KlaviyoClient client;

    KlaviyoLookups(AccountRepository accounts, AccountCredentials accountCredentials, KlaviyoClient client) {
        this.accounts = accounts;
        this.accountCredentials = accountCredentials;
        this.client = client;
    }

    public Uni<ListItem> list(UUID accountId, String listId) {
        return credentials(accountId)
                .chain(credentials -> Uni.createFrom().deferred(() -> client.list(credentials, listId)))
                .onItem().ifNull().failWith(() -> new UnappliableEvent("Klaviyo returned no list"));
    }

    public Uni<MemberProfile> profile(UUID accountId, String profileId) {
        return credentials(accountId)
                .chain(credentials -> Uni.createFrom().deferred(() -> client.profile(credentials, profileId)))
                .onItem().ifNull().failWith(() -> new UnappliableEvent("Klaviyo returned no profile"));
    }

    private Uni<KlaviyoCredentials> credentials(UUID accountId) {
        return accounts.findById(accountId)
                .onItem().ifNull().failWith(() -> new UnappliableEvent("the account no longer exists"))
                .map(account -> accountCredentials.of(account).withPriority(CallPriority.LOOKUP));
    }
}
