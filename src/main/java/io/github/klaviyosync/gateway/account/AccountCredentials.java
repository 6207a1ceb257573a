package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a stored account into the credentials of one Klaviyo call, decrypting its key only then. */
@ApplicationScoped
public class AccountCredentials {

    private final SecretBox secretBox;

    AccountCredentials(SecretBox secretBox) {
        this.secretBox = secretBox;
    }

    public KlaviyoCredentials of(Account account) {
        return of(account.id, account.apiKeySealed);
    }

    public KlaviyoCredentials of(java.util.UUID accountId, byte[] apiKeySealed) {
        String context = accountId.toString();
        return new KlaviyoCredentials(context, secretBox.open(apiKeySealed, context));
    }
}
