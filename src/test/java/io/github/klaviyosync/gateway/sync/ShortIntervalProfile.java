package io.github.klaviyosync.gateway.sync;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A member interval and a list-check interval of a few seconds, so a test can watch the schedule
 * itself bring new members, changed people and new lists in.
 */
public class ShortIntervalProfile implements QuarkusTestProfile {

    /** The member interval, which is also the profile sweeps' interval. */
    static final int MEMBER_INTERVAL_SECONDS = 4;
    static final int LIST_CHECK_INTERVAL_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.sync.member-interval", MEMBER_INTERVAL_SECONDS + "s",
                "gateway.sync.list-check-interval", LIST_CHECK_INTERVAL_SECONDS + "s",
                "gateway.sync.tick", "1s");
    }
}
