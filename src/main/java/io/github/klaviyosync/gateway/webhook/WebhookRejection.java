package io.github.klaviyosync.gateway.webhook;

/**
 * A webhook request the gateway refuses, with the status to answer and the reason counted in
 * {@code gateway_webhooks_rejected_total}. Only 400 and 404 answers show the detail; a 401 shows
 * nothing, so a caller cannot learn which check failed.
 */
public class WebhookRejection extends RuntimeException {

    private final int status;
    private final String reason;

    private WebhookRejection(int status, String reason, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** 401: a signature, timestamp, webhook id, account id or token that does not verify. */
    public static WebhookRejection unauthorized(String reason) {
        return new WebhookRejection(401, reason, null);
    }

    /** 400: a body that is not the documented JSON; the detail says what is wrong (never echoes values). */
    public static WebhookRejection malformed(String detail) {
        return new WebhookRejection(400, "malformed", detail);
    }

    /** 404: no such account (or a deleted one). */
    public static WebhookRejection unknownAccount() {
        return new WebhookRejection(404, "unknown_account", "unknown account");
    }

    /** 413: the body is larger than the configured limit. */
    public static WebhookRejection tooLarge(int limit) {
        return new WebhookRejection(413, "too_large", "the body exceeds " + limit + " bytes");
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
