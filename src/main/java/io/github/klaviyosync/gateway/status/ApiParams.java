package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.member.Consent;
import io.github.klaviyosync.gateway.problem.ApiProblem;
import java.util.Locale;
import java.util.UUID;

/**
 * Path and query values as the API reads them. They arrive as text and are parsed here, so a bad one
 * is a clear 400 (or a 404 for an id that cannot name anything) instead of JAX-RS's bare 404.
 */
final class ApiParams {

    private ApiParams() {
    }

    /** An account id that is not a UUID names no account: 404. */
    static UUID accountId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("no account " + text);
        }
    }

    /**
     * Klaviyo's id of a list, as a path or query value. One with a control character (U+0000 above
     * all, which PostgreSQL's text cannot hold, so the look-up itself would fail) names no list: 404.
     */
    static String listId(String text) {
        if (text != null && text.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.notFound("no such list");
        }
        return text;
    }

    static int limit(String text, int defaultLimit, int maxLimit) {
        return count("limit", text, defaultLimit, maxLimit);
    }

    /** A whole number from 1 to {@code max}, {@code defaultValue} when absent; else 400 naming the parameter. */
    static int count(String name, String text, int defaultValue, int max) {
        if (text == null || text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Falls through to the same answer as an out-of-range number.
        }
        throw ApiProblem.badRequest("'" + name + "' must be a whole number from 1 to " + max);
    }

    static boolean flag(String name, String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiProblem.badRequest("'" + name + "' must be true or false");
    }

    static Consent consent(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Consent.fromWire(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknownWord) {
            throw ApiProblem.badRequest("'smsConsent' must be one of SUBSCRIBED, UNSUBSCRIBED, NEVER_SUBSCRIBED");
        }
    }

    static <T> T body(T body) {
        if (body == null) {
            throw ApiProblem.badRequest("a JSON body is required");
        }
        return body;
    }
}
