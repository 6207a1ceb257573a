package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Turns a stored account into the credentials of one Klaviyo call, decrypting its key only then. They
 * name no priority ({@code SWEEP}, that of sweeps, list checks and discovery): a caller of another
 * kind says its own with {@link KlaviyoCredentials#withPriority}.
 */
@ApplicationScoped
public class AccountCredentials {

    private final SecretBox secretBox;

    AccountCredentials(SecretBox secretBox) {
        this.secretBox = secretBox;
    }

    public KlaviyoCredentials of(Account account) {
        return of(account.id, account.klaviyoAccountId, account.apiKeySealed);
    }

    public KlaviyoCredentials of(UUID accountId, String klaviyoAccountId, byte[] apiKeySealed) {
        return new KlaviyoCredentials(accountId.toString(), metricLabel(accountId, klaviyoAccountId),
                secretBox.open(apiKeySealed, SecretField.API_KEY, accountId));
    }

    /**
     * The account in metric labels: Klaviyo's account id, which its webhooks carry anyway. Never the
     * gateway's id, the one secret a webhook URL needs. An account without a Klaviyo id (connecting
     * always stores one) gets a stable digest of its id instead, which cannot be turned back.
     */
    public static String metricLabel(UUID accountId, String klaviyoAccountId) {
        return klaviyoAccountId != null ? klaviyoAccountId : "unknown-" + Tokens.hash(accountId.toString()).substring(0, 12);
    }
}
