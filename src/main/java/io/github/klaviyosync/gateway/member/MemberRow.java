package io.github.klaviyosync.gateway.member;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One member of a fetched page as it is written: phone normalised, consent in Klaviyo's words with
 * the time it was given. Serialised to JSON (short names) for the page's single upsert statement.
 */
@RegisterForReflection
public record MemberRow(
        String pid,
        String email,
        String phone,
        String raw,
        boolean invalid,
        String first,
        String last,
        String sms,
        Instant smsAt,
        String em,
        Instant emAt,
        Instant upd,
        Instant joined) {

    @Override
    public String toString() {
        return "MemberRow[" + pid + "]";
    }
}
