package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.handover.HandoverStep;
import io.github.klaviyosync.gateway.klaviyo.QuotaCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * At a handover the permits this instance leased ahead and did not spend go back to their accounts'
 * shared budgets at once, instead of lapsing with the window: the other replicas may spend them in
 * it (a rolling update otherwise cost each account up to a slice of its minute per replica stopped).
 * The syncs stop calling Klaviyo as the handover begins, so there is no need to wait for them.
 */
@ApplicationScoped
class QuotaHandover implements HandoverStep {

    private static final Logger LOG = Logger.getLogger(QuotaHandover.class);

    private final QuotaCache cache;

    QuotaHandover(QuotaCache cache) {
        this.cache = cache;
    }

    @Override
    public Uni<Void> handOver(Duration wait) {
        return cache.giveBack()
                .invoke(permits -> LOG.infof("Klaviyo budgets handed over: %d unspent permits given back", permits))
                .onFailure().invoke(failure -> LOG.warnf("unspent Klaviyo permits could not be given back: %s",
                        failure.getClass().getSimpleName()))
                .onFailure().recoverWithItem(0)
                .replaceWithVoid();
    }
}
