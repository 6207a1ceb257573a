package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One simulated Klaviyo account, reached with its API key: its lists, profiles and members, its rate
 * limits, faults and counters. Every method is thread-safe, so tests may change an account while a
 * sync reads it. Times are stored to the second, like Klaviyo's {@code joined_group_at} and
 * {@code updated}.
 *
 * <p>Profile changes ({@link #changeEmail}, {@link #changeSmsConsent}, {@link #updateProfile}...) move
 * the profile's {@code updated} to the time of the change (now, unless given), as Klaviyo does, and a
 * consent change moves that channel's {@code consent_timestamp} and {@code last_updated}; {@link
 * #changeConsentKeepingUpdated} changes consent without moving {@code updated}, for the changes
 * Klaviyo makes without it. {@link #mergeProfiles} removes one profile into another.
 */
public final class SimulatedAccount {

    /** How a last page says it is the last: {@code "next": null}, or no {@code next} at all. */
    public enum LastPageLinks { NULL, OMITTED }

    private final String apiKey;
    private final String klaviyoAccountId;
    private final String organizationName;
    private final SimIds ids;
    private final Map<String, SimList> lists = new LinkedHashMap<>();
    private final SimProfiles profiles = new SimProfiles();
    private final SimRateLimiter rateLimiter;
    private final SimFaults faults = new SimFaults();
    private final SimCounters counters = new SimCounters();
    private final RenderedMembers renderedMembers = new RenderedMembers();
    private long generatedPhones;
    private boolean revoked;
    private boolean retryAfter = true;
    private LastPageLinks lastPageLinks = LastPageLinks.NULL;

    SimulatedAccount(String apiKey, String klaviyoAccountId, String organizationName, SimIds ids,
            Supplier<SimRateLimiter.Windows> rateWindows) {
        this.apiKey = apiKey;
        this.klaviyoAccountId = klaviyoAccountId;
        this.organizationName = organizationName;
        this.ids = ids;
        this.rateLimiter = new SimRateLimiter(rateWindows, counters);
        counters.beforeRead(() -> rateLimiter.catchUp(System.currentTimeMillis()));
    }

    public String apiKey() {
        return apiKey;
    }

    /** Klaviyo's id of the account, what {@code GET /api/accounts} and system webhooks carry. */
    public String klaviyoAccountId() {
        return klaviyoAccountId;
    }

    public String organizationName() {
        return organizationName;
    }

    /** Creates a list now; returns its 6-character id. */
    public String createList(String name) {
        return createList(name, Instant.now());
    }

    public synchronized String createList(String name, Instant created) {
        String id = ids.shortId();
        lists.put(id, new SimList(id, name, seconds(created)));
        return id;
    }

    /** Creates a list with the given id unless the account has one with it already; says whether it did. */
    public synchronized boolean createList(String id, String name, Instant created) {
        if (lists.containsKey(id)) {
            return false;
        }
        lists.put(id, new SimList(id, name, seconds(created)));
        return true;
    }

    public synchronized boolean hasList(String listId) {
        return lists.containsKey(listId);
    }

    /** Renames a list now: its {@code updated} moves, as Klaviyo's does. */
    public Instant renameList(String listId, String name) {
        return renameList(listId, name, Instant.now());
    }

    /** Renames a list at {@code at}, which becomes its {@code updated}; returns that time (whole seconds). */
    public synchronized Instant renameList(String listId, String name, Instant at) {
        Instant when = seconds(at);
        list(listId).rename(name, when);
        return when;
    }

    /** Deletes a list: from now on it answers 404 and leaves every profile's lists. */
    public synchronized void deleteList(String listId) {
        lists.remove(listId);
    }

    /** Stores a profile that is on no list; returns its 26-character id. */
    public synchronized String addProfile(SimProfile person) {
        return addProfile(person, Instant.now());
    }

    /** Stores a profile created at {@code created} (its id's time part, and its consent time unless set). */
    public synchronized String addProfile(SimProfile person, Instant created) {
        return addProfile(ids.ulid(created.toEpochMilli()), person, created);
    }

    /**
     * Stores a profile with the given id, e.g. the 6-character id an older Klaviyo profile keeps
     * ({@code "AbC123"}); returns the id. An id the account already has is refused.
     */
    public synchronized String addProfile(String profileId, SimProfile person, Instant created) {
        if (profileId == null || profileId.isBlank() || profiles.contains(profileId)) {
            throw new IllegalArgumentException("the account has a profile " + profileId + " already, or the id is blank");
        }
        profiles.put(StoredProfile.created(profileId, person, seconds(created)));
        return profileId;
    }

    public synchronized boolean hasProfile(String profileId) {
        return profiles.contains(profileId);
    }

    /** The profile's person as Klaviyo holds it now (contact details, consent words); fails when there is no such profile. */
    public synchronized SimProfile person(String profileId) {
        return profile(profileId).person();
    }

    /** The profile's {@code updated}. */
    public synchronized Instant profileUpdated(String profileId) {
        return profile(profileId).updated();
    }

    /** Changes the profile now; see {@link #updateProfile(String, UnaryOperator, Instant)}. */
    public Instant updateProfile(String profileId, UnaryOperator<SimProfile> change) {
        return updateProfile(profileId, change, Instant.now());
    }

    /**
     * Changes the profile at {@code at} (e.g. {@code p -> p.phone("+15005550009")}): its
     * {@code updated} becomes {@code at}, and each channel whose consent word changed records
     * {@code at} as its consent time. Returns that time (whole seconds).
     */
    public synchronized Instant updateProfile(String profileId, UnaryOperator<SimProfile> change, Instant at) {
        Instant when = seconds(at);
        StoredProfile stored = profile(profileId);
        profiles.put(stored.changed(change.apply(stored.person()), when, false));
        return when;
    }

    public Instant changeEmail(String profileId, String email) {
        return updateProfile(profileId, person -> person.email(email));
    }

    public Instant changePhone(String profileId, String phone) {
        return updateProfile(profileId, person -> person.phone(phone));
    }

    public Instant changeNames(String profileId, String firstName, String lastName) {
        return updateProfile(profileId, person -> person.names(firstName, lastName));
    }

    /** SMS consent given (or withdrawn) now: consent time and {@code updated} move, even when the word stays. */
    public Instant changeSmsConsent(String profileId, String consent) {
        return changeConsent(profileId, consent, null, Instant.now());
    }

    /** Email consent given (or withdrawn) now: consent time and {@code updated} move, even when the word stays. */
    public Instant changeEmailConsent(String profileId, String consent) {
        return changeConsent(profileId, null, consent, Instant.now());
    }

    /**
     * Consent given or withdrawn at {@code at} on the channels whose word is not null: their consent
     * time and the profile's {@code updated} become {@code at}. Returns that time (whole seconds).
     */
    public synchronized Instant changeConsent(String profileId, String smsConsent, String emailConsent, Instant at) {
        Instant when = seconds(at);
        profiles.put(profile(profileId).consented(smsConsent, emailConsent, when, false));
        return when;
    }

    /** Like {@link #changeConsent}, now, but the profile's {@code updated} stays where it was. */
    public Instant changeConsentKeepingUpdated(String profileId, String smsConsent, String emailConsent) {
        return changeConsentKeepingUpdated(profileId, smsConsent, emailConsent, Instant.now());
    }

    /**
     * Consent changed at {@code at} without moving the profile's {@code updated}: the channel reports
     * the new word and times, but a poll of profiles updated since a time does not find it.
     */
    public synchronized Instant changeConsentKeepingUpdated(String profileId, String smsConsent, String emailConsent,
            Instant at) {
        Instant when = seconds(at);
        profiles.put(profile(profileId).consented(smsConsent, emailConsent, when, true));
        return when;
    }

    /** Merges now; see {@link #mergeProfiles(String, String, Instant)}. */
    public Instant mergeProfiles(String survivorId, String mergedId) {
        return mergeProfiles(survivorId, mergedId, Instant.now());
    }

    /**
     * Merges profile {@code mergedId} into {@code survivorId} at {@code at}, as Klaviyo's merge does:
     * the merged profile is gone (404, found by no filter), its list memberships move to the survivor
     * (which keeps the earlier {@code joined_group_at} of a list both were on), the survivor takes the
     * contact details it lacked, and its {@code updated} becomes {@code at}. Returns that time.
     */
    public synchronized Instant mergeProfiles(String survivorId, String mergedId, Instant at) {
        if (survivorId.equals(mergedId)) {
            throw new IllegalArgumentException("a profile cannot be merged into itself");
        }
        Instant when = seconds(at);
        StoredProfile survivor = profile(survivorId);
        StoredProfile merged = profile(mergedId);
        for (SimList list : lists.values()) {
            Instant joined = list.joinedAt(mergedId);
            if (joined == null) {
                continue;
            }
            list.remove(mergedId);
            Instant survivorJoined = list.joinedAt(survivorId);
            if (survivorJoined == null || joined.isBefore(survivorJoined)) {
                list.add(survivorId, joined);
            }
        }
        profiles.remove(mergedId);
        renderedMembers.forget(mergedId);
        profiles.put(SimProfiles.survivor(survivor, merged, when));
        return when;
    }

    /** Stores a profile and puts it on the list since {@code joinedAt}; returns the profile id. */
    public synchronized String addMember(String listId, SimProfile person, Instant joinedAt) {
        String profileId = addProfile(person);
        addMember(listId, profileId, joinedAt);
        return profileId;
    }

    /** Puts an existing profile on the list since {@code joinedAt} (moving it if it was on it). */
    public synchronized void addMember(String listId, String profileId, Instant joinedAt) {
        if (!profiles.contains(profileId)) {
            throw new IllegalArgumentException("no profile " + profileId + " in this account");
        }
        list(listId).add(profileId, seconds(joinedAt));
    }

    /**
     * Adds {@code count} SMS subscribers with distinct, valid US phone numbers ({@code +1415...}),
     * joined one second apart from {@code firstJoinedAt}; returns their ids in joining order.
     */
    public synchronized List<String> addMembers(String listId, int count, Instant firstJoinedAt) {
        return addMembers(listId, count, firstJoinedAt, null);
    }

    /**
     * As {@link #addMembers(String, int, Instant)}, the profiles created (and last updated) at
     * {@code created}, now when null: a benchmark's members that were in Klaviyo long before the
     * account was connected, as a real list's are, rather than a minute before.
     */
    public synchronized List<String> addMembers(String listId, int count, Instant firstJoinedAt, Instant created) {
        List<String> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long number = generatedPhones++;
            String phone = "+1415" + (2_000_000 + number % 8_000_000);
            SimProfile person = SimProfile.sms(phone).names("Member", Long.toString(number + 1));
            String profileId = created == null ? addProfile(person) : addProfile(person, created);
            addMember(listId, profileId, firstJoinedAt.plusSeconds(i));
            added.add(profileId);
        }
        return added;
    }

    public synchronized boolean removeMember(String listId, String profileId) {
        return list(listId).remove(profileId);
    }

    public synchronized int memberCount(String listId) {
        return list(listId).size();
    }

    /** Member ids of a list in {@code joined_group_at} order. */
    public synchronized List<String> memberIds(String listId) {
        return list(listId).members(false).stream().map(SimList.Membership::profileId).toList();
    }

    public synchronized List<String> listIds() {
        return List.copyOf(lists.keySet());
    }

    /** From now on the key answers 401. */
    public synchronized void revokeKey() {
        revoked = true;
    }

    /**
     * Lowers (or, with nulls, restores) this account's limits for every operation (every tier, when
     * counted per tier), and says whether 429s carry {@code Retry-After}.
     */
    public synchronized void setRateLimits(Integer burstPerSecond, Integer steadyPerMinute, boolean sendRetryAfter) {
        rateLimiter.setLimits(burstPerSecond, steadyPerMinute);
        this.retryAfter = sendRetryAfter;
    }

    /**
     * Counts the limits per Klaviyo tier (true) instead of per operation (false, the default): every
     * operation with the same limits in the spec shares one bucket, e.g. {@code get_lists},
     * {@code get_list}, {@code get_profiles_for_list}, {@code get_profile_ids_for_list},
     * {@code get_profile} and {@code get_profiles} share 75/s and 750/min. Starts with empty windows.
     */
    public void countRateLimitsPerTier(boolean perTier) {
        rateLimiter.countPerTier(perTier);
    }

    /**
     * From now on the merchant's other tools spend {@code requestsPerMinute} of this account's quota
     * (per steady window, a minute unless the simulator's windows were shortened), spread evenly, as
     * {@code get_profiles} requests: counted in the same windows as the gateway's (with
     * {@link #countRateLimitsPerTier} they share the bucket of every 75/s, 750/min operation). 0 stops them.
     */
    public void otherToolsPerMinute(int requestsPerMinute) {
        otherToolsPerMinute(requestsPerMinute, SimOperation.GET_PROFILES.operationId());
    }

    /** Like {@link #otherToolsPerMinute(int)}, as requests of the operation {@code operationId} (e.g. {@code get_lists}). */
    public void otherToolsPerMinute(int requestsPerMinute, String operationId) {
        rateLimiter.otherTools(requestsPerMinute, SimOperation.byOperationId(operationId), System.currentTimeMillis());
    }

    public synchronized void setLastPageLinks(LastPageLinks style) {
        this.lastPageLinks = style;
    }

    public SimFaults faults() {
        return faults;
    }

    public SimCounters counters() {
        return counters;
    }

    // --- for the request handlers

    synchronized boolean revoked() {
        return revoked;
    }

    synchronized boolean sendsRetryAfter() {
        return retryAfter;
    }

    synchronized LastPageLinks lastPageLinks() {
        return lastPageLinks;
    }

    SimRateLimiter rateLimiter() {
        return rateLimiter;
    }

    RenderedMembers renderedMembers() {
        return renderedMembers;
    }

    /** Members rendered into pages so far, not served again from a rendering kept (see {@link RenderedMembers}). */
    public long membersRendered() {
        return renderedMembers.renderings();
    }

    /** The list, or a 404 as Klaviyo answers for a deleted or unknown list. */
    synchronized SimList list(String listId) {
        SimList list = lists.get(listId);
        if (list == null) {
            throw SimulatorRequestException.notFound("A list with id " + listId + " does not exist.");
        }
        return list;
    }

    synchronized Collection<SimList> lists() {
        return List.copyOf(lists.values());
    }

    /** The profile, or a 404 as Klaviyo answers for an unknown, deleted or merged-away profile. */
    synchronized StoredProfile profile(String profileId) {
        StoredProfile profile = profiles.get(profileId);
        if (profile == null) {
            throw SimulatorRequestException.notFound("A profile with id " + profileId + " does not exist.");
        }
        return profile;
    }

    /** A page of {@code get_profiles} under the account's lock (see {@link SimProfiles#page}). */
    synchronized List<StoredProfile> profilesPage(String sort, Keyset.Position after, Collection<String> onlyIds,
            Instant updatedAfter, Predicate<StoredProfile> keep, int limit) {
        return profiles.page(sort, after, onlyIds, updatedAfter, keep, limit);
    }

    /** A member as the handlers render it. */
    record Member(StoredProfile profile, Instant joinedAt) {
    }

    /** A page of a list's members under the account's lock (see {@link SimList#page}); {@code keep} null keeps all. */
    synchronized List<Member> membersPage(String listId, SimList.Membership after, boolean descending,
            Instant notBefore, Predicate<Member> keep, int limit) {
        Predicate<SimList.Membership> kept = keep == null ? membership -> true : membership -> keep.test(member(membership));
        return list(listId).page(after, descending, notBefore, kept, limit)
                .stream()
                .map(this::member)
                .toList();
    }

    private Member member(SimList.Membership membership) {
        return new Member(profiles.get(membership.profileId()), membership.joinedAt());
    }

    synchronized List<String> listsOf(String profileId) {
        profile(profileId);
        return lists.values().stream().filter(list -> list.contains(profileId)).map(list -> list.id).toList();
    }

    private static Instant seconds(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS);
    }
}
