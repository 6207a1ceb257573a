package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The profiles of one account, in id order and in {@code updated} order (the order of the profile
 * poll), so that a walk of a large account in either costs a page, not a scan; other orders scan.
 * Guarded by the owning {@link SimulatedAccount}.
 */
final class SimProfiles {

    /** Above every id: a position after every profile updated in the same second. */
    private static final String AFTER_EVERY_ID = "\uffff";

    private final NavigableMap<String, StoredProfile> byId = new TreeMap<>();
    private final NavigableMap<Keyset.Position, StoredProfile> byUpdated = new TreeMap<>(Keyset.Position.ORDER);

    /** The order of {@code get_profiles} for a {@code sort} value (null: by id); ties by id. */
    static Keyset<StoredProfile> order(String sort) {
        boolean descending = sort != null && sort.startsWith("-");
        String field = sort == null ? "id" : descending ? sort.substring(1) : sort;
        return switch (field) {
            case "created" -> new Keyset<>(profile -> Keyset.timeKey(profile.created()), StoredProfile::id, descending);
            case "updated" -> new Keyset<>(SimProfiles::updatedKey, StoredProfile::id, descending);
            case "email" -> new Keyset<>(profile -> Keyset.textKey(profile.person().email()), StoredProfile::id, descending);
            // The simulator holds no suppressions: every profile's suppression timestamp is null.
            default -> new Keyset<>(profile -> "", StoredProfile::id, descending);
        };
    }


    boolean contains(String id) {
        return byId.containsKey(id);
    }

    StoredProfile get(String id) {
        return byId.get(id);
    }


    /** Stores the profile, replacing the one with its id. */
    void put(StoredProfile profile) {
        StoredProfile previous = byId.put(profile.id(), profile);
        if (previous != null) {
            byUpdated.remove(position(previous));
        }
        byUpdated.put(position(profile), profile);
    }

    StoredProfile remove(String id) {
        StoredProfile removed = byId.remove(id);
        if (removed != null) {
            byUpdated.remove(position(removed));
        }
        return removed;
    }

    /**
     * The survivor of a merge: it keeps what it has, and takes from the merged profile what it lacks
     * (an email with its email consent, a phone with its SMS consent, names, external id).
     */
    static StoredProfile survivor(StoredProfile survivor, StoredProfile merged, Instant at) {
        SimProfile person = survivor.person();
        SimProfile other = merged.person();
        Instant smsAt = survivor.smsConsentAt();
        Instant emailAt = survivor.emailConsentAt();
        if (person.email() == null && other.email() != null) {
            person = person.email(other.email()).emailConsent(other.emailConsent());
            emailAt = merged.emailConsentAt();
        }
        if (person.phone() == null && other.phone() != null) {
            person = person.phone(other.phone()).smsConsent(other.smsConsent());
            smsAt = merged.smsConsentAt();
        }
        person = person.names(either(person.firstName(), other.firstName()), either(person.lastName(), other.lastName()))
                .externalId(either(person.externalId(), other.externalId()));
        return new StoredProfile(survivor.id(), person, survivor.created(), at, smsAt, emailAt);
    }

    /**
     * Up to {@code limit} profiles in the order of {@code sort} after {@code after} that {@code keep}
     * accepts. {@code onlyIds} (nullable) and {@code updatedAfter} (nullable) narrow the candidates
     * first, as the filter does anyway: an id filter looks them up, the {@code updated} order starts
     * at the filter's bound in its index.
     */
    List<StoredProfile> page(String sort, Keyset.Position after, Collection<String> onlyIds, Instant updatedAfter,
            Predicate<StoredProfile> keep, int limit) {
        Keyset<StoredProfile> order = order(sort);
        if (onlyIds != null) {
            List<StoredProfile> named = new ArrayList<>();
            for (String id : new LinkedHashSet<>(onlyIds)) {
                StoredProfile profile = byId.get(id);
                if (profile != null) {
                    named.add(profile);
                }
            }
            return order.page(named, after, keep, limit);
        }
        Collection<StoredProfile> indexed = indexed(sort, order.descending(), after, updatedAfter);
        if (indexed == null) {
            return order.page(byId.values(), after, keep, limit);
        }
        List<StoredProfile> page = new ArrayList<>();
        for (StoredProfile profile : indexed) {
            if (page.size() >= limit) {
                break;
            }
            if (keep.test(profile)) {
                page.add(profile);
            }
        }
        return page;
    }

    /** The profiles after {@code after} in an indexed order, or null when {@code sort} has no index. */
    private Collection<StoredProfile> indexed(String sort, boolean descending, Keyset.Position after, Instant updatedAfter) {
        String field = sort == null ? "id" : descending ? sort.substring(1) : sort;
        if ("updated".equals(field)) {
            return updatedRange(descending, after, updatedAfter).values();
        }
        if ("created".equals(field) || "email".equals(field)) {
            return null;
        }
        // By id, and the suppression sorts, which are by id here (the simulator holds no suppressions).
        if (descending) {
            return after == null ? byId.descendingMap().values() : byId.headMap(after.id(), false).descendingMap().values();
        }
        return after == null ? byId.values() : byId.tailMap(after.id(), false).values();
    }

    private NavigableMap<Keyset.Position, StoredProfile> updatedRange(boolean descending, Keyset.Position after,
            Instant updatedAfter) {
        if (descending) {
            return after == null ? byUpdated.descendingMap() : byUpdated.headMap(after, false).descendingMap();
        }
        Keyset.Position start = after;
        if (updatedAfter != null) {
            Keyset.Position bound = new Keyset.Position(Keyset.timeKey(updatedAfter), AFTER_EVERY_ID);
            start = start == null || Keyset.Position.ORDER.compare(bound, start) > 0 ? bound : start;
        }
        return start == null ? byUpdated : byUpdated.tailMap(start, false);
    }

    private static String either(String kept, String fallback) {
        return kept != null ? kept : fallback;
    }

    private static String updatedKey(StoredProfile profile) {
        return Keyset.timeKey(profile.updated());
    }

    private static Keyset.Position position(StoredProfile profile) {
        return new Keyset.Position(updatedKey(profile), profile.id());
    }
}
