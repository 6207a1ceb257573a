package io.github.klaviyosync.gateway.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque {@code page[cursor]}: which collection it belongs to, the page number it leads to, and
 * where the previous page ended (a member's {@code joined_group_at} and id, or an offset for lists),
 * and when it was issued (so a test can make older cursors expire, as Klaviyo's do).
 */
record PageCursor(String scope, int page, long seconds, String lastId, long issuedAtMillis) {

    PageCursor(String scope, int page, long seconds, String lastId) {
        this(scope, page, seconds, lastId, System.currentTimeMillis());
    }

    String encode() {
        String plain = String.join("|", "v1", scope, Integer.toString(page), Long.toString(seconds), lastId,
                Long.toString(issuedAtMillis));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    Instant lastJoinedAt() {
        return Instant.ofEpochSecond(seconds);
    }

    /** The cursor, or a 400 naming {@code page[cursor]} when it is not one of ours for {@code scope}. */
    static PageCursor decode(String cursor, String scope) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", -1);
            if (parts.length != 6 || !"v1".equals(parts[0]) || !scope.equals(parts[1])) {
                throw invalid();
            }
            return new PageCursor(parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]), parts[4],
                    Long.parseLong(parts[5]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    static SimulatorRequestException invalid() {
        return SimulatorRequestException.invalidParameter("page[cursor]", "Invalid page cursor.");
    }
}
