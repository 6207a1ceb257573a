package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthRejected;
import io.github.klaviyosync.gateway.privacy.LogMask;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Marks an account {@code auth_failed} when Klaviyo refuses its key, whether the Klaviyo client fires
 * {@link KlaviyoAuthRejected} synchronously or asynchronously. The update runs on a fresh, safe
 * duplicated Vert.x context, so it never shares a reactive session with the call that fired the event.
 */
@ApplicationScoped
class KeyRejectionObserver {

    private static final Logger LOG = Logger.getLogger(KeyRejectionObserver.class);

    private final AccountService accounts;

    KeyRejectionObserver(AccountService accounts) {
        this.accounts = accounts;
    }

    void onRejected(@Observes KlaviyoAuthRejected event) {
        markAuthFailed(event);
    }

    void onRejectedAsync(@ObservesAsync KlaviyoAuthRejected event) {
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
        VertxContextSupport.subscribe(
                () -> accounts.markAuthFailed(accountId, reason).toMulti(),
                subscription -> subscription.with(marked -> {
                    if (marked) {
                        LOG.warnf("account %s marked auth_failed: Klaviyo refused its key (HTTP %d)", accountId, event.status());
                    }
                }, failure -> LOG.errorf("account %s could not be marked auth_failed: %s", accountId,
                        failure.getClass().getSimpleName())));
    }
}
