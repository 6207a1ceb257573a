package io.github.klaviyosync.gateway.webhook.intake;

/** The inbox could not be written (or the account read): answered 503 with {@code Retry-After}, so Klaviyo retries. */
public class WebhookStorageUnavailable extends RuntimeException {

    public WebhookStorageUnavailable(String description) {
        super(description, null, false, false);
    }
}
