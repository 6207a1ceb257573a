package io.github.klaviyosync.gateway.sync;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A member interval of a few seconds, so a test can watch the schedule itself bring new members in. */
public class ShortIntervalProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.sync.member-interval", "4s", "gateway.sync.tick", "1s");
    }
}
