package io.github.klaviyosync.gateway.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes the configuration the gateway cannot run without part of the start-up: Quarkus validates
 * a config mapping only when a bean uses it, and this eager bean uses the ones that nothing else
 * may touch before the first request.
 */
@Startup
@ApplicationScoped
class RequiredAtStartup {

    RequiredAtStartup(GatewayConfig gateway, DatasourceUrls datasource) {
        // Injection is the check: SmallRye Config has validated both mappings by now.
    }
}
