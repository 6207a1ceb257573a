package io.github.klaviyosync.gateway.klaviyo.model;

/** The account a private key belongs to ({@code GET /api/accounts}); {@code id} is what system webhooks carry. */
public record AccountInfo(String id, String organizationName) {
}
