package io.github.klaviyosync.gateway.syncrun;

import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthException;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoException;

/** Words for a failed sync run's error, shown on the dashboard: Klaviyo's own reason where there is one, never a secret. */
public final class SyncFailures {

    private SyncFailures() {
    }

    public static String describe(Throwable failure) {
        if (failure instanceof KlaviyoAuthException auth) {
            return "Klaviyo refused the account's API key (" + auth.status() + "); the account needs a new key";
        }
        if (failure instanceof KlaviyoException klaviyoFailure) {
            String detail = klaviyoFailure.detail();
            return klaviyoFailure.getMessage() + (detail == null ? "" : ": " + detail);
        }
        return "internal error; the gateway's log has the details";
    }
}
