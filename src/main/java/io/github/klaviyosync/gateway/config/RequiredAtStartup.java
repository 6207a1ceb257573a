package io.github.klaviyosync.gateway.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes the configuration the gateway cannot run without part of the start-up: Quarkus validates
 * a config mapping only when a bean uses it, and this eager bean uses the ones that nothing else
 * may touch before the first request. It also refuses, naming the variable, API tokens shorter than
 * {@value #MIN_API_TOKEN_LENGTH} characters and, in the packaged application, the API tokens and
 * crypto key committed to {@code application.properties} for dev mode and tests, which protect nothing,
 * and a Klaviyo quota share outside (0, 1].
 */
@Startup
@ApplicationScoped
class RequiredAtStartup {

    /** Long enough not to be guessed; {@code openssl rand -base64 32} makes 44 characters. */
    static final int MIN_API_TOKEN_LENGTH = 24;
    private static final List<String> COMMITTED_PROFILES = List.of("dev", "test");

    RequiredAtStartup(GatewayConfig gateway, DatasourceUrls datasource) {
        // Injection checks presence: SmallRye Config has validated both mappings by now.
        requireLongTokens(gateway.api().tokens());
        requireShare(gateway.klaviyo().quotaShare());
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Config config = ConfigProvider.getConfig();
            refuseCommitted("GATEWAY_API_TOKENS", gateway.api().tokens(), committed(config, "gateway.api.tokens"));
            refuseCommitted("GATEWAY_CRYPTO_KEY", List.of(gateway.crypto().key()), committed(config, "gateway.crypto.key"));
        }
    }

    /** Says how long the short token is, never what it is. */
    static void requireLongTokens(List<String> tokens) {
        for (String token : tokens) {
            if (token.strip().length() < MIN_API_TOKEN_LENGTH) {
                throw new IllegalStateException("GATEWAY_API_TOKENS holds a token of " + token.strip().length()
                        + " characters; each needs at least " + MIN_API_TOKEN_LENGTH + " (e.g. `openssl rand -base64 32`)");
            }
        }
    }

    /** A share of Klaviyo's limits: more than nothing, at most all of them. */
    static void requireShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalStateException("GATEWAY_KLAVIYO_QUOTA_SHARE is " + share
                    + "; it must be more than 0 and at most 1 (the share of each account's Klaviyo rate limits the gateway spends)");
        }
    }

    static void refuseCommitted(String variable, Collection<String> values, Collection<String> committed) {
        for (String value : values) {
            if (committed.contains(value.strip())) {
                throw new IllegalStateException(variable + " holds a value committed to application.properties for dev "
                        + "mode or tests, which anyone can read; give one of your own");
            }
        }
    }

    /** The values of {@code property} for dev mode and tests, as application.properties holds them. */
    private static List<String> committed(Config config, String property) {
        List<String> values = new ArrayList<>();
        for (String profile : COMMITTED_PROFILES) {
            Optional<String> value = config.getOptionalValue("%" + profile + "." + property, String.class);
            value.ifPresent(text -> Arrays.stream(text.split(",")).map(String::strip).forEach(values::add));
        }
        return values;
    }
}
