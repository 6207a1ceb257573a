package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import java.util.List;

/** Klaviyo refused the key (401/403), or calls for the account are stopped until its key is replaced. */
public class KlaviyoAuthException extends KlaviyoException {

    public KlaviyoAuthException(String message, int status, List<KlaviyoError> errors) {
        super(message, status, errors);
    }
}
