package io.github.klaviyosync.gateway.klaviyo;

import jakarta.ws.rs.core.Response;

/**
 * One HTTP exchange with Klaviyo as the retry logic sees it: the status (0 when no answer came),
 * the headers that matter, the body as bytes (Jackson reads UTF-8 bytes faster than text decoded
 * first: a member page is 100 profiles), or the failure that stopped the exchange.
 */
record Answer(int status, String contentType, String retryAfter, String rateLimitLimit,
        String rateLimitRemaining, String rateLimitReset, byte[] body, Throwable failure) {

    private static final byte[] EMPTY = new byte[0];

    static Answer of(Response response) {
        try (response) {
            return new Answer(
                    response.getStatus(),
                    response.getHeaderString("Content-Type"),
                    response.getHeaderString("Retry-After"),
                    response.getHeaderString("RateLimit-Limit"),
                    response.getHeaderString("RateLimit-Remaining"),
                    response.getHeaderString("RateLimit-Reset"),
                    response.hasEntity() ? response.readEntity(byte[].class) : EMPTY,
                    null);
        }
    }

    static Answer failed(Throwable failure) {
        return new Answer(0, null, null, null, null, null, EMPTY, failure);
    }

    /** Whether the body holds nothing but white space. */
    boolean isBodyBlank() {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    boolean isSuccess() {
        return status >= 200 && status < 300 && !isHtml();
    }

    /** A Cloudflare page (challenge, error) instead of Klaviyo's JSON: transient whatever its status. */
    boolean isHtml() {
        return contentType != null && contentType.toLowerCase().startsWith("text/html");
    }

    /** Worth another attempt: no answer, Cloudflare, or a status Klaviyo documents as transient. */
    boolean isTransient() {
        return status == 0 || isHtml() || status == 503 || status == 504 || status == 524;
    }

    /** {@code Retry-After} in milliseconds (seconds on the wire), or -1 when absent or unreadable. */
    long retryAfterMillis() {
        Integer seconds = firstInteger(retryAfter);
        return seconds == null || seconds < 0 ? -1 : seconds * 1_000L;
    }

    /**
     * The steady window's limit from {@code RateLimit-Limit}: a plain number, or the item for a
     * 60-second window when the header lists windows ({@code 60, 5;w=1, 60;w=60}); -1 when absent.
     */
    int steadyLimit() {
        if (rateLimitLimit == null) {
            return -1;
        }
        for (String item : rateLimitLimit.split(",")) {
            if (item.replace(" ", "").contains(";w=60")) {
                Integer limit = firstInteger(item);
                return limit == null ? -1 : limit;
            }
        }
        Integer limit = firstInteger(rateLimitLimit);
        return limit == null ? -1 : limit;
    }

    int remaining() {
        Integer remaining = firstInteger(rateLimitRemaining);
        return remaining == null ? -1 : remaining;
    }

    int resetSeconds() {
        Integer reset = firstInteger(rateLimitReset);
        return reset == null ? -1 : reset;
    }

    private static Integer firstInteger(String header) {
        if (header == null) {
            return null;
        }
        int end = 0; // up to the first ',' or ';' (split with a regex would compile it on each answer)
        while (end < header.length() && header.charAt(end) != ',' && header.charAt(end) != ';') {
            end++;
        }
        String first = header.substring(0, end).trim();
        try {
            return Integer.parseInt(first);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
