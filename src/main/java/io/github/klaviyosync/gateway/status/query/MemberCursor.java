package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of members ended: the last row's {@code (joined_at, subscriber_id)}, the order of the
 * {@code list_membership_page} index. Members without {@code joined_at} sort after all others. Shown
 * to callers as opaque base64url text; a cursor that does not decode is a 400.
 */
public record MemberCursor(Instant joinedAt, long subscriberId) {

    /** The join times a cursor may carry: any a real member has, none PostgreSQL cannot bind. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static final String VERSION = "m1";

    public String encode() {
        String joined = joinedAt == null ? "" : joinedAt.getEpochSecond() + "." + joinedAt.getNano();
        String plain = VERSION + ":" + joined + ":" + subscriberId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a caller passed back, or null when it passed none. */
    public static MemberCursor decode(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            String[] parts = plain.split(":", -1);
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw invalid();
            }
            return new MemberCursor(parseInstant(parts[1]), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private static Instant parseInstant(String text) {
        if (text.isEmpty()) {
            return null;
        }
        String[] secondsAndNanos = text.split("\\.", -1);
        if (secondsAndNanos.length != 2) {
            throw invalid();
        }
        Instant joinedAt = Instant.ofEpochSecond(Long.parseLong(secondsAndNanos[0]), Long.parseLong(secondsAndNanos[1]));
        if (joinedAt.isBefore(EARLIEST) || joinedAt.isAfter(LATEST)) {
            throw invalid(); // no join time is out there, and PostgreSQL's timestamps end well before Instant's
        }
        return joinedAt;
    }

    private static ApiProblem invalid() {
        return ApiProblem.badRequest("'after' is not a cursor this API gave out");
    }
}
