package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

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

    public KlaviyoCredentials of(UUID accountId, byte[] apiKeySealed) {
        return new KlaviyoCredentials(accountId.toString(), secretBox.open(apiKeySealed, SecretField.API_KEY, accountId));
    }
}
