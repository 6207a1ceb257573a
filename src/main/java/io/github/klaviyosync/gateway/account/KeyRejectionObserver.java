package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthRejected;
import io.github.klaviyosync.gateway.privacy.LogMask;
import io.github.klaviyosync.gateway.db.SessionScopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Marks an account {@code auth_failed} when the Klaviyo client reports that Klaviyo refused its key
 * ({@link KlaviyoAuthRejected}). The update runs in a session of its own ({@link SessionScopes}),
 * never the one of the call that fired the event.
 */
@ApplicationScoped
class KeyRejectionObserver {

    private static final Logger LOG = Logger.getLogger(KeyRejectionObserver.class);

    private final AccountService accounts;
    private final SessionScopes scopes;

    KeyRejectionObserver(AccountService accounts, SessionScopes scopes) {
        this.accounts = accounts;
        this.scopes = scopes;
    }

    void onRejected(@Observes KlaviyoAuthRejected event) {
        markAuthFailed(event);
    }

    private void markAuthFailed(KlaviyoAuthRejected event) {
        UUID accountId;
        try {
            accountId = UUID.fromString(event.accountKey());
        } catch (IllegalArgumentException notAnAccount) {
            return; // not one of the gateway's accounts
        }
        // A key checked on connect has an id no row has yet: the update then changes nothing.
        String reason = "Klaviyo refused the API key (HTTP " + event.status() + ")"
                + (event.reason() == null ? "" : ": " + LogMask.scrub(event.reason()));
        scopes.isolated(() -> accounts.markAuthFailed(accountId, reason, event.keyFingerprint()))
                .subscribe().with(marked -> {
                    if (marked) {
                        LOG.warnf("account %s marked auth_failed: Klaviyo refused its key (HTTP %d)", accountId, event.status());
                    }
                }, failure -> LOG.errorf("account %s could not be marked auth_failed: %s", accountId,
                        failure.getClass().getSimpleName()));
    }
}
