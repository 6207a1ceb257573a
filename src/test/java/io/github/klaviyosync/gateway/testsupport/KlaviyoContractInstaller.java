package io.github.klaviyosync.gateway.testsupport;

import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * In every Quarkus test, holds the simulator to Klaviyo's spec: a request the gateway sends off
 * the spec is refused with 400, an answer the simulator gives off the spec becomes a 500.
 */
@ApplicationScoped
public class KlaviyoContractInstaller {

    void install(@Observes StartupEvent started, KlaviyoSimulator simulator) {
        simulator.setContractCheck(KlaviyoContract.load());
    }
}
