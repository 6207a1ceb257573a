package io.github.klaviyosync.gateway.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Dev and test builds only: one {@link KlaviyoSimulator} for the application, injectable, served on
 * the application's own HTTP server at {@value #MOUNT_PATH} (the admin API at
 * {@value #MOUNT_PATH}{@code /__admin}), where the dev and test profiles point
 * {@code gateway.klaviyo.base-url}.
 */
@Singleton
@IfBuildProfile(anyOf = {"dev", "test"})
public class SimulatorBean {

    public static final String MOUNT_PATH = "/klaviyo-sim";

    private final KlaviyoSimulator simulator = new KlaviyoSimulator();

    @Produces
    @Singleton
    KlaviyoSimulator simulator() {
        return simulator;
    }

    void mount(@Observes Router router, Vertx vertx) {
        router.route(MOUNT_PATH + "/__admin/*").subRouter(simulator.adminRouter(vertx));
        router.route(MOUNT_PATH + "/*").subRouter(simulator.router(vertx));
    }
}
