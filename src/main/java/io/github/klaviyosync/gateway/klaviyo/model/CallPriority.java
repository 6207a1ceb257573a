package io.github.klaviyosync.gateway.klaviyo.model;

/**
 * Which calls go first when an account's Klaviyo budget is short, most urgent first. Calls of a
 * higher priority are served before waiting calls of a lower one on each instance, and may draw the
 * shared budget further ahead of an even pace through the window, so a lower priority gets what the
 * higher ones leave across all instances.
 */
public enum CallPriority {
    /** Webhook look-ups: a pushed person's profile, an unknown list's name. */
    LOOKUP,
    /** Incremental member syncs: the members who joined since the list's cursor. */
    SYNC,
    /** Profile sweeps, list checks and discovery: the default of credentials that name none. */
    SWEEP,
    /** Backfills (a list without a member cursor yet) and nightly full syncs. */
    BULK
}
