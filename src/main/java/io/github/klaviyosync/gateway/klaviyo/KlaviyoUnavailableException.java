package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import java.util.List;

/** Klaviyo stayed unreachable, throttled or failing (429, 5xx, Cloudflare, connection) after every retry. */
public class KlaviyoUnavailableException extends KlaviyoException {

    public KlaviyoUnavailableException(String message, int status, List<KlaviyoError> errors, Throwable cause) {
        super(message, status, errors, cause);
    }
}
