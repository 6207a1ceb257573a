package io.github.klaviyosync.gateway.crypto;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The stored secrets of an account. Each is sealed with its account and its own name as associated
 * data ({@code <accountId>:api_key}), so a value copied to the other column of the same row, or to
 * another account's row, does not open.
 */
public enum SecretField {
    API_KEY("api_key"),
    WEBHOOK_SECRET("webhook_secret");

    private final String column;

    SecretField(String column) {
        this.column = column;
    }

    byte[] associatedData(UUID accountId) {
        return (accountId + ":" + column).getBytes(StandardCharsets.UTF_8);
    }
}
