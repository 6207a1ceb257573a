package io.github.klaviyosync.gateway.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque {@code page[cursor]}: which collection it belongs to, the page number it leads to, where
 * the previous page ended (a member's {@code joined_group_at} seconds and id; for profiles and lists
 * the sort key and id of the last item), and when it was issued (so a test can make older cursors
 * expire, as Klaviyo's do).
 */
record PageCursor(String scope, int page, long seconds, String lastId, String key, long issuedAtMillis) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A members cursor: after the member who joined at {@code seconds} with id {@code lastId}. */
    PageCursor(String scope, int page, long seconds, String lastId) {
        this(scope, page, seconds, lastId, "", System.currentTimeMillis());
    }

    /** A keyset cursor: after the item with sort key {@code key} and id {@code lastId}. */
    PageCursor(String scope, int page, String key, String lastId) {
        this(scope, page, 0, lastId, key, System.currentTimeMillis());
    }

    String encode() {
        String plain = String.join("|", "v2", scope, Integer.toString(page), Long.toString(seconds), text(lastId),
                text(key), Long.toString(issuedAtMillis));
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    Instant lastJoinedAt() {
        return Instant.ofEpochSecond(seconds);
    }

    /** Where the previous page ended, for keyset paging. */
    Keyset.Position position() {
        return new Keyset.Position(key, lastId);
    }

    /** The cursor, or a 400 naming {@code page[cursor]} when it is not one of ours for {@code scope}. */
    static PageCursor decode(String cursor, String scope) {
        try {
            String plain = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", -1);
            if (parts.length != 7 || !"v2".equals(parts[0]) || !scope.equals(parts[1])) {
                throw invalid();
            }
            return new PageCursor(parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]), untext(parts[4]),
                    untext(parts[5]), Long.parseLong(parts[6]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    static SimulatorRequestException invalid() {
        return SimulatorRequestException.invalidParameter("page[cursor]", "Invalid page cursor.");
    }

    /** Ids and sort keys (a list's name, an email) may hold any character: each is encoded on its own. */
    private static String text(String value) {
        return ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String untext(String value) {
        return new String(DECODER.decode(value), StandardCharsets.UTF_8);
    }
}
