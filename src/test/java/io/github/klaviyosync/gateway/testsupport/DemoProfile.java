package io.github.klaviyosync.gateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Dev mode's demo in a test application: the seeded shop connects itself and keeps changing, fast.
 * New lists appear only after the tests, so the demo's early push to a list Klaviyo lacks stays a
 * failed event. When the profile's application stops, the demo's account leaves the shared database,
 * so later tests never sync it against a simulator that no longer knows its key.
 */
public class DemoProfile implements QuarkusTestProfile {

    /** The demo account's name (DemoShop.NAME). */
    public static final String ACCOUNT_NAME = "Demo Outdoor Co.";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.dev.demo", "true",
                "gateway.dev.demo-step", "1s",
                "gateway.dev.demo-new-list-every", "1h",
                "gateway.sync.member-interval", "10s",
                "gateway.sync.tick", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DemoAccountCleanup.class));
    }

    /** Deletes the demo's account (with its lists, members, runs and events) when the application stops. */
    public static class DemoAccountCleanup implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return Map.of();
        }

        @Override
        public void stop() {
            TestDatabase.execute("delete from account where name = ?", ACCOUNT_NAME);
        }
    }
}
