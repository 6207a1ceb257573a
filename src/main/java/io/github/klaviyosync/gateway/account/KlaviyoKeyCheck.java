package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthException;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthRejected;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoBadRequestException;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoClient;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;
import io.github.klaviyosync.gateway.klaviyo.model.AccountInfo;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.privacy.LogMask;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Asks Klaviyo whom a private key belongs to ({@code GET /api/accounts}) before the gateway stores
 * it. Klaviyo's refusal, or an answer without the account's id, becomes a 422 (with Klaviyo's reason
 * when it gave one); Klaviyo out of reach, a 503; a check that would wait longer than
 * {@code gateway.api.key-check-max-wait} for Klaviyo's pace, a 429.
 */
@ApplicationScoped
class KlaviyoKeyCheck {

    /** Appended to the account id (or a new key's name) for the client's account key of a check (not a UUID: no account is marked). */
    static final String CHECK_SUFFIX = ":key-check";
    /** How much of a key's fingerprint names a new account's check: 64 bits, never the key. */
    private static final int FINGERPRINT_CHARS = 16;
    /** The metric label of every check: one series whatever the account, and no account id in it. */
    static final String CHECK_METRIC_LABEL = "key-check";

    private final KlaviyoClient klaviyo;
    private final GatewayConfig config;

    KlaviyoKeyCheck(KlaviyoClient klaviyo, GatewayConfig config) {
        this.klaviyo = klaviyo;
        this.config = config;
    }

    /**
     * The candidate key is checked under a client account key of its own, never the account's: a key
     * Klaviyo refuses must not stop the calls of an account whose stored key still works (nor mark it
     * {@code auth_failed}), and a replacement for a refused key must reach Klaviyo although the
     * account's own calls are stopped. The check's stop is lifted once it ends, whatever its outcome.
     */
    Uni<AccountInfo> accountOf(UUID accountId, String apiKey) {
        return check(accountId + CHECK_SUFFIX, apiKey);
    }

    /**
     * The key of an account not stored yet: checked under the key's own name (its fingerprint), so
     * that connects of one key, repeated or at once, share one pace of Klaviyo's few checks a minute,
     * instead of each taking a fresh one under the new account's random id.
     */
    Uni<AccountInfo> accountOfNewKey(String apiKey) {
        return check("key-" + KlaviyoAuthRejected.fingerprint(apiKey).substring(0, FINGERPRINT_CHARS) + CHECK_SUFFIX, apiKey);
    }

    private Uni<AccountInfo> check(String checkKey, String apiKey) {
        Duration wait = klaviyo.accountCallWait(checkKey);
        if (wait.compareTo(config.api().keyCheckMaxWait()) > 0) {
            // Holding the request for a minute would outlast most callers' timeouts.
            long retryAfter = Math.max(1, (wait.toMillis() + 999) / 1000);
            return Uni.createFrom().failure(ApiProblem.tooManyRequests(
                    "Klaviyo allows few API key checks a minute for an account; retry in " + retryAfter + " s", retryAfter));
        }
        return Uni.createFrom()
                .deferred(() -> klaviyo.account(new KlaviyoCredentials(checkKey, CHECK_METRIC_LABEL, apiKey,
                        CallPriority.LOOKUP, null)))
                .invoke(KlaviyoKeyCheck::requireAccountId)
                .onTermination().invoke(() -> klaviyo.resume(checkKey))
                .onFailure(KlaviyoAuthException.class)
                .transform(failure -> ApiProblem.unprocessable(reason("Klaviyo refused the API key", failure)))
                .onFailure(KlaviyoBadRequestException.class)
                .transform(failure -> ApiProblem.unprocessable(reason("Klaviyo rejected the request", failure)))
                .onFailure(KlaviyoException.class)
                .transform(failure -> ApiProblem.unavailable(
                        "Klaviyo could not be reached to check the API key; retry later",
                        config.api().unavailableRetryAfter().toSeconds()));
    }

    /**
     * Webhooks are checked against the Klaviyo account id and an account is connected once per Klaviyo
     * account: a key whose answer does not say whose it is cannot be stored.
     */
    private static void requireAccountId(AccountInfo owner) {
        if (owner.id() == null || owner.id().isBlank()) {
            throw ApiProblem.unprocessable("Klaviyo's answer to GET /api/accounts does not say which Klaviyo account "
                    + "the API key belongs to; it is not stored");
        }
    }

    /** Klaviyo's own words when it gave some, scrubbed in case they quote the key. */
    private static String reason(String prefix, Throwable failure) {
        KlaviyoException klaviyoFailure = (KlaviyoException) failure;
        String detail = klaviyoFailure.detail();
        String status = klaviyoFailure.status() > 0 ? " (HTTP " + klaviyoFailure.status() + ")" : "";
        return detail == null || detail.isBlank()
                ? prefix + status
                : prefix + status + ": " + LogMask.scrub(detail);
    }
}
