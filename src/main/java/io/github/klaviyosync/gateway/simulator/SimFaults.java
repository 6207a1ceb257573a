package io.github.klaviyosync.gateway.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Faults injected into one simulated account's answers, in the order the simulator applies them:
 * latency, Cloudflare HTML 403s, a number of failures, a ratio of 503s, a failing page of a list's
 * members or of a walk of the profiles. Thread-safe; each setter replaces the previous value.
 */
public final class SimFaults {

    /** A page of a list's members that fails {@code remaining} more times with {@code status} and {@code detail}. */
    private record PageFault(int page, int status, int remaining, String detail) {
    }

    /** The key of {@code get_profiles} walks among the page faults (a list id never has a space). */
    static final String PROFILES = "get_profiles walk";

    private Duration latency = Duration.ZERO;
    private int slowAnswers;
    private Duration slowDelay = Duration.ZERO;
    private int htmlChallenges;
    private int failures;
    private int failureStatus = 503;
    private double unavailableRatio;
    private boolean refuseCursors;
    private long cursorsValidFromMillis;
    private final Map<String, PageFault> pageFaults = new HashMap<>();

    /** Every answer waits this long first. */
    public synchronized SimFaults latency(Duration delay) {
        this.latency = delay;
        return this;
    }

    /** The next {@code count} answers wait {@code delay} (on top of any latency), e.g. past a read timeout. */
    public synchronized SimFaults slowAnswers(int count, Duration delay) {
        this.slowAnswers = count;
        this.slowDelay = delay;
        return this;
    }

    /** The next {@code count} requests get Cloudflare's HTML challenge page with status 403. */
    public synchronized SimFaults cloudflareChallenges(int count) {
        this.htmlChallenges = count;
        return this;
    }

    /** The next {@code count} requests fail with 503. */
    public synchronized SimFaults unavailable(int count) {
        return failures(count, 503);
    }

    /** The next {@code count} requests fail with {@code status} (e.g. 503, 504, 524, 500). */
    public synchronized SimFaults failures(int count, int status) {
        this.failures = count;
        this.failureStatus = status;
        return this;
    }

    /** Each request fails with 503 with this probability (0 turns it off). */
    public synchronized SimFaults unavailableRatio(double ratio) {
        this.unavailableRatio = ratio;
        return this;
    }

    /**
     * Page {@code page} (1 is the first) of the list's members ({@code get_profiles_for_list})
     * fails {@code times} times with {@code status}.
     */
    public synchronized SimFaults failMembersPage(String listId, int page, int status, int times) {
        return failMembersPage(listId, page, status, times, null);
    }

    /**
     * Like {@link #failMembersPage(String, int, int, int)}, the error's {@code detail} being {@code detail}
     * (as Klaviyo's 400s quote the filter they refuse, personal data included); null: the usual words.
     */
    public synchronized SimFaults failMembersPage(String listId, int page, int status, int times, String detail) {
        pageFaults.put(listId, new PageFault(page, status, times, detail));
        return this;
    }

    /**
     * Page {@code page} (1 is the first) of a walk of the account's profiles ({@code get_profiles})
     * fails {@code times} times with {@code status}.
     */
    public synchronized SimFaults failProfilesPage(int page, int status, int times) {
        pageFaults.put(PROFILES, new PageFault(page, status, times, null));
        return this;
    }

    /** While on, every {@code page[cursor]} is refused with 400, as an expired cursor would be. */
    public synchronized SimFaults refuseCursors(boolean refuse) {
        this.refuseCursors = refuse;
        return this;
    }

    /** Every cursor issued until now is refused with 400 from now on, as expired ones are; new ones work. */
    public synchronized SimFaults expireIssuedCursors() {
        this.cursorsValidFromMillis = System.currentTimeMillis() + 1;
        return this;
    }

    /** Removes every fault. */
    public synchronized SimFaults clear() {
        latency = Duration.ZERO;
        slowAnswers = 0;
        htmlChallenges = 0;
        failures = 0;
        unavailableRatio = 0;
        refuseCursors = false;
        cursorsValidFromMillis = 0;
        pageFaults.clear();
        return this;
    }

    /** How long this answer waits: the latency, plus a slow answer's delay while some remain. */
    synchronized Duration takeDelay() {
        if (slowAnswers <= 0) {
            return latency;
        }
        slowAnswers--;
        return latency.plus(slowDelay);
    }

    synchronized boolean takeHtmlChallenge() {
        if (htmlChallenges <= 0) {
            return false;
        }
        htmlChallenges--;
        return true;
    }

    /** The status of an injected failure for this request, or 0. */
    synchronized int takeFailure(double draw) {
        if (failures > 0) {
            failures--;
            return failureStatus;
        }
        return draw < unavailableRatio ? 503 : 0;
    }

    synchronized int takePageFailure(String listId, int page) {
        PageFault fault = pageFaults.get(listId);
        if (fault == null || fault.page() != page || fault.remaining() <= 0) {
            return 0;
        }
        pageFaults.put(listId, new PageFault(fault.page(), fault.status(), fault.remaining() - 1, fault.detail()));
        return fault.status();
    }

    /** The detail of the list's page fault, or null for the usual words. */
    synchronized String pageFailureDetail(String listId) {
        PageFault fault = pageFaults.get(listId);
        return fault == null ? null : fault.detail();
    }

    synchronized boolean expired(long issuedAtMillis) {
        return issuedAtMillis < cursorsValidFromMillis;
    }

    synchronized boolean refusesCursors() {
        return refuseCursors;
    }
}
