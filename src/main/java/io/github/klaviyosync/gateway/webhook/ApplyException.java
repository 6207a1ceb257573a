package io.github.klaviyosync.gateway.webhook;

/** An event that cannot be applied (yet), in words safe to store: no personal data, no secrets. */
public class ApplyException extends RuntimeException {

    public ApplyException(String message) {
        super(message, null, false, false);
    }
}
