package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys Klaviyo refused (401/403): calls with the same key stop, without any HTTP request, until
 * {@link KlaviyoClient#resume} says the key was replaced. A stop holds for the refused key only (kept
 * as a fingerprint), so a new key read from the database, whichever replica stored it, goes at once: the
 * stop follows the account's key, not this instance's memory. Holds only refused accounts.
 */
@ApplicationScoped
class AccountStops {

    private final Map<String, Stop> stops = new ConcurrentHashMap<>();

    /** A refused key (its fingerprint) and why. */
    private record Stop(String keyFingerprint, String reason) {
    }

    /** Stops the credentials' key; true when calls with it were going until now (the caller reports it once). */
    boolean stop(KlaviyoCredentials credentials, String reason) {
        Stop stop = new Stop(KlaviyoAuthRejected.fingerprint(credentials.apiKey()), reason);
        Stop previous = stops.put(credentials.accountKey(), stop);
        return previous == null || !previous.keyFingerprint().equals(stop.keyFingerprint());
    }

    /** Why calls with these credentials are stopped, or null when they may go. */
    String reason(KlaviyoCredentials credentials) {
        Stop stop = stops.get(credentials.accountKey());
        return stop != null && stop.keyFingerprint().equals(KlaviyoAuthRejected.fingerprint(credentials.apiKey()))
                ? stop.reason()
                : null;
    }

    /** Whether a key of the account was refused and not replaced through {@link #resume} since. */
    boolean isStopped(String accountKey) {
        return stops.containsKey(accountKey);
    }

    void resume(String accountKey) {
        stops.remove(accountKey);
    }
}
