package io.github.klaviyosync.gateway.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the test resources every Quarkus test shares (one database per run). */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
public final class GatewayTestResources {

    private GatewayTestResources() {
    }
}
