package io.github.klaviyosync.gateway.klaviyo;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts whose key Klaviyo refused (401/403): their calls stop, without any HTTP request, until
 * {@link KlaviyoClient#resume} says the key was replaced. Holds only refused accounts.
 */
@ApplicationScoped
class AccountStops {

    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    /** Stops the account; true when it was running until now (the caller reports it once). */
    boolean stop(String accountKey, String reason) {
        return reasons.putIfAbsent(accountKey, reason) == null;
    }

    /** Why the account is stopped, or null when it is not. */
    String reason(String accountKey) {
        return reasons.get(accountKey);
    }

    void resume(String accountKey) {
        reasons.remove(accountKey);
    }
}
