package io.github.klaviyosync.gateway.webhook;

/** What the inbox did with one request's events: how many it stored and how many it already had. */
public record StoreResult(int stored, int duplicates) {

    public static final StoreResult NONE = new StoreResult(0, 0);
}
