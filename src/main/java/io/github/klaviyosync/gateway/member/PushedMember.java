package io.github.klaviyosync.gateway.member;

import java.time.Instant;

/**
 * What a flow push says of a member: on which list (the gateway's row id), who (Klaviyo's profile
 * id), the values it carries (null where it carried none) and when it arrived, which is the join
 * time a new membership gets.
 */
public record PushedMember(
        long listId,
        String profileId,
        String email,
        PhoneNumbers.Normalised phone,
        String firstName,
        String lastName,
        Instant receivedAt) {

    @Override
    public String toString() {
        return "PushedMember[" + listId + ", " + profileId + "]";
    }
}
