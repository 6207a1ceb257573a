package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.FlowPush;
import io.github.klaviyosync.gateway.webhook.UnappliableEvent;
import io.github.klaviyosync.gateway.account.AccountCredentials;
import io.github.klaviyosync.gateway.account.AccountRepository;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoBadRequestException;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoNotFoundException;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.member.PhoneNumbers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * What applying an event may need from Klaviyo: an unknown list's name, a profile the gateway has
 * not seen (or the real id behind a pushed id that is not one). Called outside any transaction; a
 * failure (including a client that throws at once) is a failed, retryable apply attempt.
 */
@ApplicationScoped
public class KlaviyoLookups {

    private final AccountRepository accounts;
    private final AccountCredentials accountCredentials;
    private final KlaviyoClient client;
    private final PhoneNumbers phones;

    KlaviyoLookups(AccountRepository accounts, AccountCredentials accountCredentials, KlaviyoClient client, PhoneNumbers phones) {
        this.accounts = accounts;
        this.accountCredentials = accountCredentials;
        this.client = client;
        this.phones = phones;
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

    /**
     * The profile behind a pushed id that is not one of Klaviyo's 26-character ids. Whether Klaviyo
     * answers {@code GET /api/profiles/{id}} for such an id (the 6-character "Klaviyo ID" of older
     * accounts) is not documented: it is asked first, and when it knows no such profile, the profile
     * is matched by the pushed email, then by the pushed phone number.
     */
    public Uni<MemberProfile> pushedProfile(UUID accountId, FlowPush push) {
        return credentials(accountId)
                .chain(credentials -> Uni.createFrom().deferred(() -> client.profile(credentials, push.profileId()))
                        .onFailure(KlaviyoLookups::isUnknownId)
                        .recoverWithUni(() -> matchByContact(credentials, push)))
                .onItem().ifNull().failWith(() -> new UnappliableEvent(
                        "Klaviyo knows no profile by the pushed id, email or phone number"));
    }

    private Uni<MemberProfile> matchByContact(KlaviyoCredentials credentials, FlowPush push) {
        String phone = phones.normalise(push.phoneNumber()).e164();
        return Uni.createFrom().deferred(() -> client.profileWithEmail(credentials, FlowPush.given(push.email())))
                .onItem().ifNull().switchTo(() -> client.profileWithPhone(credentials, phone));
    }

    /** Klaviyo's answers for an id it does not know: 404, or 400 for an id it does not accept at all. */
    private static boolean isUnknownId(Throwable failure) {
        return failure instanceof KlaviyoNotFoundException || failure instanceof KlaviyoBadRequestException;
    }



    private Uni<KlaviyoCredentials> credentials(UUID accountId) {
        return accounts.findById(accountId)
                .onItem().ifNull().failWith(() -> new UnappliableEvent("the account no longer exists"))
                .map(account -> accountCredentials.of(account).withPriority(CallPriority.LOOKUP));
    }
}
