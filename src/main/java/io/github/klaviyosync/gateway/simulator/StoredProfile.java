package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;

/** A profile as the simulator holds it: Klaviyo's 26-character id, the person, and its timestamps. */
record StoredProfile(String id, SimProfile person, Instant created, Instant updated) {
}
