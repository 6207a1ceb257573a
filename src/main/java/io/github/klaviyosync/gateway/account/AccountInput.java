package io.github.klaviyosync.gateway.account;

import io.github.klaviyosync.gateway.problem.ApiProblem;

/** Checks of what callers send before anything is asked of Klaviyo or stored (400 otherwise). */
final class AccountInput {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_SECRET_LENGTH = 1000;
    /** Anyone who guesses the webhook secret can sign consent changes; Klaviyo's own secrets are far longer. */
    static final int MIN_WEBHOOK_SECRET_LENGTH = 16;
    /** Klaviyo's private API keys begin so; a public key (a six-character site id) cannot read lists. */
    static final String PRIVATE_KEY_PREFIX = "pk_";

    private AccountInput() {
    }

    static void requireConnect(String name, String apiKey, String webhookSecret) {
        requirePresent("name", name);
        requirePresent("apiKey", apiKey);
        checkName(name);
        checkApiKey(apiKey);
        checkWebhookSecret(webhookSecret);
    }

    static void requireUpdate(String name, String apiKey, String webhookSecret) {
        if (name == null && apiKey == null && webhookSecret == null) {
            throw ApiProblem.badRequest("give at least one of name, apiKey, webhookSecret");
        }
        checkName(name);
        checkApiKey(apiKey);
        checkWebhookSecret(webhookSecret);
    }

    private static void requirePresent(String field, String value) {
        if (value == null) {
            throw ApiProblem.badRequest("field '" + field + "' is required");
        }
    }

    private static void checkName(String name) {
        if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH || hasControlCharacters(name))) {
            throw ApiProblem.badRequest("field 'name' must be 1 to " + MAX_NAME_LENGTH + " characters without control characters");
        }
    }

    /** A key of the wrong kind is refused here rather than spend the account's Klaviyo rate budget on it. */
    private static void checkApiKey(String apiKey) {
        checkSecret("apiKey", apiKey);
        if (apiKey != null && !apiKey.startsWith(PRIVATE_KEY_PREFIX)) {
            throw ApiProblem.badRequest("field 'apiKey' must be a Klaviyo private API key (they begin with "
                    + PRIVATE_KEY_PREFIX + ")");
        }
    }

    private static void checkWebhookSecret(String webhookSecret) {
        checkSecret("webhookSecret", webhookSecret);
        if (webhookSecret != null && webhookSecret.length() < MIN_WEBHOOK_SECRET_LENGTH) {
            throw ApiProblem.badRequest("field 'webhookSecret' must have at least " + MIN_WEBHOOK_SECRET_LENGTH + " characters");
        }
    }

    /** Says what is wrong with a secret without ever repeating it. */
    private static void checkSecret(String field, String value) {
        if (value != null && (value.isBlank() || value.length() > MAX_SECRET_LENGTH || !value.strip().equals(value)
                || hasControlCharacters(value))) {
            throw ApiProblem.badRequest("field '" + field + "' must be 1 to " + MAX_SECRET_LENGTH
                    + " characters without surrounding spaces or control characters");
        }
    }

    /** Line breaks, tabs and U+0000 (which PostgreSQL's text cannot hold) have no place in a name or a secret. */
    private static boolean hasControlCharacters(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
