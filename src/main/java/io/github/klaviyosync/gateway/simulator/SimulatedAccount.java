package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One simulated Klaviyo account, reached with its API key: its lists, profiles and members, its rate
 * limits, faults and counters. Every method is thread-safe, so tests may change an account while a
 * sync reads it. Times are stored to the second, like Klaviyo's {@code joined_group_at}.
 */
public final class SimulatedAccount {

    /** How a last page says it is the last: {@code "next": null}, or no {@code next} at all. */
    public enum LastPageLinks { NULL, OMITTED }

    private final String apiKey;
    private final String klaviyoAccountId;
    private final String organizationName;
    private final SimIds ids;
    private final Map<String, SimList> lists = new LinkedHashMap<>();
    private final Map<String, StoredProfile> profiles = new LinkedHashMap<>();
    private final SimRateLimiter rateLimiter = new SimRateLimiter();
    private final SimFaults faults = new SimFaults();
    private final SimCounters counters = new SimCounters();
    private long generatedPhones;
    private boolean revoked;
    private boolean retryAfter = true;
    private LastPageLinks lastPageLinks = LastPageLinks.NULL;

    SimulatedAccount(String apiKey, String klaviyoAccountId, String organizationName, SimIds ids) {
        this.apiKey = apiKey;
        this.klaviyoAccountId = klaviyoAccountId;
        this.organizationName = organizationName;
        this.ids = ids;
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
        Instant at = seconds(created);
        String id = ids.ulid(created.toEpochMilli());
        SimProfile stored = person.consentAt() == null ? person.consentAt(at) : person;
        profiles.put(id, new StoredProfile(id, stored, at, at));
        return id;
    }

    /** Stores a profile and puts it on the list since {@code joinedAt}; returns the profile id. */
    public synchronized String addMember(String listId, SimProfile person, Instant joinedAt) {
        String profileId = addProfile(person);
        addMember(listId, profileId, joinedAt);
        return profileId;
    }

    /** Puts an existing profile on the list since {@code joinedAt} (moving it if it was on it). */
    public synchronized void addMember(String listId, String profileId, Instant joinedAt) {
        if (!profiles.containsKey(profileId)) {
            throw new IllegalArgumentException("no profile " + profileId + " in this account");
        }
        list(listId).add(profileId, seconds(joinedAt));
    }

    /**
     * Adds {@code count} SMS subscribers with distinct, valid US phone numbers ({@code +1415...}),
     * joined one second apart from {@code firstJoinedAt}; returns their ids in joining order.
     */
    public synchronized List<String> addMembers(String listId, int count, Instant firstJoinedAt) {
        List<String> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long number = generatedPhones++;
            String phone = "+1415" + (2_000_000 + number % 8_000_000);
            SimProfile person = SimProfile.sms(phone).names("Member", Long.toString(number + 1));
            added.add(addMember(listId, person, firstJoinedAt.plusSeconds(i)));
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
     * Lowers (or, with nulls, restores) this account's limits for every operation, and says whether
     * 429s carry {@code Retry-After}.
     */
    public synchronized void setRateLimits(Integer burstPerSecond, Integer steadyPerMinute, boolean sendRetryAfter) {
        rateLimiter.setLimits(burstPerSecond, steadyPerMinute);
        this.retryAfter = sendRetryAfter;
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

    synchronized StoredProfile profile(String profileId) {
        StoredProfile profile = profiles.get(profileId);
        if (profile == null) {
            throw SimulatorRequestException.notFound("A profile with id " + profileId + " does not exist.");
        }
        return profile;
    }

    /** Every profile of the account, in the order they were stored. */
    synchronized List<StoredProfile> profiles() {
        return List.copyOf(profiles.values());
    }

    /** A member as the handlers render it. */
    record Member(StoredProfile profile, Instant joinedAt) {
    }

    /** A page of a list's members under the account's lock (see {@link SimList#page}). */
    synchronized List<Member> membersPage(String listId, SimList.Membership after, boolean descending,
            Instant notBefore, Predicate<Member> keep, int limit) {
        return list(listId).page(after, descending, notBefore, membership -> keep.test(member(membership)), limit)
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
