package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One account's members as rendered last: each profile's JSON in a members page, kept while
 * nothing it is made of changed, so that a list read again costs the simulator little (Klaviyo runs
 * on other machines than the gateway; a benchmark on one machine should not charge the gateway's
 * run with rendering Klaviyo's pages). A rendering is reused only for the same {@link StoredProfile}
 * instance (every change of a profile stores a new one), the same {@code joined_group_at} and the
 * same variant (sparse fieldset, additional fields, base URL): the bytes are those a fresh
 * rendering would write. One entry per profile id.
 */
final class RenderedMembers {

    private record Rendered(StoredProfile source, Instant joinedAt, String variant, String json) {
    }

    private final Map<String, Rendered> byProfile = new ConcurrentHashMap<>();
    private final AtomicLong renderings = new AtomicLong();

    /** The member's JSON: the one rendered last if still true, else {@code render}'s (kept for next time). */
    String json(SimulatedAccount.Member member, String variant, Supplier<String> render) {
        StoredProfile profile = member.profile();
        Rendered last = byProfile.get(profile.id());
        if (last != null && last.source() == profile && last.joinedAt().equals(member.joinedAt())
                && last.variant().equals(variant)) {
            return last.json();
        }
        String json = render.get();
        renderings.incrementAndGet();
        byProfile.put(profile.id(), new Rendered(profile, member.joinedAt(), variant, json));
        return json;
    }

    /** Drops the rendering of a profile that is gone (merged away): it would never be served again. */
    void forget(String profileId) {
        byProfile.remove(profileId);
    }

    /** Members rendered so far (not served again from a rendering kept): what a benchmark checks. */
    long renderings() {
        return renderings.get();
    }
}
