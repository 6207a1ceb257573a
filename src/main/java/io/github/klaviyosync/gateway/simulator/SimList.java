package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A simulated list and its members in {@code joined_group_at} order (ties by profile id), which is
 * also the order of its cursors. A new list's {@code updated} is its {@code created}; a rename, and
 * a member joining later than it, move it. Guarded by the owning {@link SimulatedAccount}.
 */
final class SimList {

    /** A profile on the list since {@code joinedAt} (second precision, like Klaviyo). */
    record Membership(String profileId, Instant joinedAt) {
        static final Comparator<Membership> ORDER =
                Comparator.comparing(Membership::joinedAt).thenComparing(Membership::profileId);
    }

    final String id;
    final Instant created;
    volatile String name;
    volatile Instant updated;
    private final NavigableSet<Membership> ordered = new TreeSet<>(Membership.ORDER);
    private final Map<String, Membership> byProfile = new HashMap<>();

    SimList(String id, String name, Instant created) {
        this.id = id;
        this.name = name;
        this.created = created;
        this.updated = created;
    }

    /** Adds the profile, or moves it to {@code joinedAt} when it was on the list already (it re-joined). */
    void add(String profileId, Instant joinedAt) {
        remove(profileId);
        Membership membership = new Membership(profileId, joinedAt);
        ordered.add(membership);
        byProfile.put(profileId, membership);
        updated = joinedAt.isAfter(updated) ? joinedAt : updated;
    }

    void rename(String newName, Instant at) {
        name = newName;
        updated = at;
    }

    /** When the profile joined the list, or null when it is not on it. */
    Instant joinedAt(String profileId) {
        Membership membership = byProfile.get(profileId);
        return membership == null ? null : membership.joinedAt();
    }

    boolean remove(String profileId) {
        Membership removed = byProfile.remove(profileId);
        if (removed != null) {
            ordered.remove(removed);
        }
        return removed != null;
    }

    boolean contains(String profileId) {
        return byProfile.containsKey(profileId);
    }

    int size() {
        return ordered.size();
    }

    /** Members in order, ascending or descending, as a snapshot. */
    List<Membership> members(boolean descending) {
        return List.copyOf(descending ? ordered.descendingSet() : ordered);
    }

    /**
     * Up to {@code limit} members that {@code keep} accepts, in order, after {@code after} (a cursor's
     * last member; null: from the start); ascending pages skip straight to {@code notBefore} when set.
     */
    List<Membership> page(Membership after, boolean descending, Instant notBefore, Predicate<Membership> keep, int limit) {
        NavigableSet<Membership> range;
        if (descending) {
            range = after == null ? ordered.descendingSet() : ordered.headSet(after, false).descendingSet();
        } else {
            range = after == null ? ordered : ordered.tailSet(after, false);
            if (notBefore != null) {
                Membership floor = new Membership("", notBefore);
                if (after == null || Membership.ORDER.compare(floor, after) > 0) {
                    range = ordered.tailSet(floor, true);
                }
            }
        }
        List<Membership> page = new ArrayList<>();
        for (Membership membership : range) {
            if (page.size() >= limit) {
                break;
            }
            if (keep.test(membership)) {
                page.add(membership);
            }
        }
        return page;
    }
}
