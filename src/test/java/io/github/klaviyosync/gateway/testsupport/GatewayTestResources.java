package io.github.klaviyosync.gateway.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the test resources every Quarkus test shares: one database per run, and an HTTP port
 * chosen before start-up (the Klaviyo simulator is served on it).
 */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FreeHttpPortResource.class, restrictToAnnotatedClass = false)
public final class GatewayTestResources {

    private GatewayTestResources() {
    }
}
