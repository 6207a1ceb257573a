package io.github.klaviyosync.gateway.webhook;

import java.util.UUID;

/**
 * What verifying an account's webhooks needs: Klaviyo's account id (system webhooks name it), the
 * sealed webhook secret and the flow token's hash. The inbox stores an event only while the account
 * still holds the credentials its request was verified with.
 */
public record WebhookCredentials(UUID accountId, String klaviyoAccountId, byte[] webhookSecretSealed, String flowTokenHash) {

    @Override
    public String toString() {
        return "WebhookCredentials[" + accountId + "]";
    }
}
