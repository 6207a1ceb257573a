package io.github.klaviyosync.gateway.webhook;

/** An event that cannot be applied (yet), in words safe to store: no personal data, no secrets. */
public class UnappliableEvent extends RuntimeException {

    public UnappliableEvent(String message) {
        super(message, null, false, false);
    }
}
