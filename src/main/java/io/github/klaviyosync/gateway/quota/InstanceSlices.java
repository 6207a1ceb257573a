package io.github.klaviyosync.gateway.quota;

import io.github.klaviyosync.gateway.klaviyo.QuotaCache;
import io.github.klaviyosync.gateway.list.LeaseOwner;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Names this instance's local slices of the shared budget after its lease owner, the name its
 * syncs spend under: a sync and a webhook look-up of one account then draw on one slice.
 */
@Startup
@ApplicationScoped
class InstanceSlices {

    InstanceSlices(QuotaCache cache, LeaseOwner owner) {
        cache.nameInstance(owner.id());
    }
}
