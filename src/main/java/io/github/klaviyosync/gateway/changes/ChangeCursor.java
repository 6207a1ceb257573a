package io.github.klaviyosync.gateway.changes;

import io.github.klaviyosync.gateway.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in the feed: the writing transaction's id and the change's id, the feed's order. Every
 * change at or before it has been read. Shown as opaque base64url text (a change's {@code id}, a
 * page's {@code next}, an SSE event's {@code id}); text that does not decode is a 400.
 */
public record ChangeCursor(long txid, long id) implements Comparable<ChangeCursor> {

    /** Before every change. */
    public static final ChangeCursor START = new ChangeCursor(0, 0);

    private static final String VERSION = "c1";

    /** Just before every change of transaction {@code txid}: where a reader stands once all older transactions are read. */
    static ChangeCursor before(long txid) {
        return new ChangeCursor(txid, 0);
    }

    public String encode() {
        String plain = VERSION + ":" + txid + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a caller passed back, or null when it passed none; {@code name} names the parameter in a 400. */
    public static ChangeCursor decode(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw invalid(name);
            }
            ChangeCursor cursor = new ChangeCursor(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            if (cursor.txid < 0 || cursor.id < 0) {
                throw invalid(name);
            }
            return cursor;
        } catch (IllegalArgumentException notBase64OrNotANumber) {
            throw invalid(name);
        }
    }

    public static ChangeCursor max(ChangeCursor a, ChangeCursor b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(ChangeCursor other) {
        int byTransaction = Long.compare(txid, other.txid);
        return byTransaction != 0 ? byTransaction : Long.compare(id, other.id);
    }

    private static ApiProblem invalid(String name) {
        return ApiProblem.badRequest("'" + name + "' is not a cursor of this feed");
    }
}
