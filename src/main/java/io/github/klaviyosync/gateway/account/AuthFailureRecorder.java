package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthRejected;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Marks an account {@code auth_failed} when Klaviyo refuses its key, with Klaviyo's reason, so the
 * dashboard shows it and syncing skips it until the key is replaced. The client's event comes on
 * whatever thread had the answer: the write runs on a fresh (safe, duplicated) Vert.x context of its own.
 */
@ApplicationScoped
public class AuthFailureRecorder {

    private static final Logger LOG = Logger.getLogger(AuthFailureRecorder.class);

    private final AccountRepository accounts;
    private final Vertx vertx;

    AuthFailureRecorder(AccountRepository accounts, Vertx vertx) {
        this.accounts = accounts;
        this.vertx = vertx;
    }

    void onAuthRejected(@Observes KlaviyoAuthRejected rejected) {
        UUID accountId = accountId(rejected.accountKey());
        if (accountId == null) {
            return;
        }
        String reason = "Klaviyo refused the API key (" + rejected.status() + "): " + rejected.reason();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> markAuthFailed(accountId, reason)
                .subscribe().with(
                        marked -> LOG.infof("Account %s marked auth_failed", accountId),
                        failure -> LOG.errorf(failure, "Could not mark account %s auth_failed", accountId)));
    }

    /** Sets an active account to {@code auth_failed} with the reason; true when a row changed. */
    @WithTransaction
    public Uni<Boolean> markAuthFailed(UUID accountId, String reason) {
        return accounts.update("status = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4 and status = ?5",
                        AccountStatus.AUTH_FAILED, reason, Instant.now(), accountId, AccountStatus.ACTIVE)
                .map(updated -> updated > 0);
    }

    private static UUID accountId(String accountKey) {
        try {
            return UUID.fromString(accountKey);
        } catch (IllegalArgumentException notAnAccount) {
            return null;
        }
    }
}
