package io.github.klaviyosync.gateway.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KlaviyoPeopleTest {

    private final KlaviyoPeople rows = new KlaviyoPeople(new PhoneNumbers("US"));

    @Test
    void ordersAPageByProfileIdAndKeepsTheLastAppearanceOfAProfile() {
        List<KlaviyoPerson> page = rows.of(List.of(
                profile("01J00000000000000000000003", "(415) 555-2671", "SUBSCRIBED"),
                profile("01J00000000000000000000001", "+14155550123", "UNSUBSCRIBED"),
                profile("01J00000000000000000000003", "+12015550123", "NEVER_SUBSCRIBED")));

        assertEquals(List.of("01J00000000000000000000001", "01J00000000000000000000003"),
                page.stream().map(KlaviyoPerson::profileId).toList());
        assertEquals("+12015550123", page.get(1).phone().e164(), "the later appearance wins");
        assertEquals("NEVER_SUBSCRIBED", page.get(1).smsConsent());
    }

    /** Klaviyo's schema allows a resource without an id; such a person cannot be stored, and fails nothing else. */
    @Test
    void passesOverAProfileWithoutAnId() {
        List<KlaviyoPerson> page = rows.of(List.of(
                profile("01J00000000000000000000002", "+14155550123", "SUBSCRIBED"),
                profile(null, "+14155550124", "SUBSCRIBED"),
                profile(" ", "+14155550125", "SUBSCRIBED")));

        assertEquals(List.of("01J00000000000000000000002"), page.stream().map(KlaviyoPerson::profileId).toList());
    }

    @Test
    void keepsAnUnreadablePhoneRawAndFlaggedAndAnUnknownConsentWordUnrecorded() {
        KlaviyoPerson row = rows.of(profile("01J00000000000000000000009", "call me maybe", "MAYBE"));

        assertNull(row.phone().e164());
        assertEquals("call me maybe", row.phone().raw());
        assertTrue(row.phone().invalid());
        assertNull(row.smsConsent());
        assertEquals("+14155552671", rows.of(profile("01J0000000000000000000000A", "(415) 555-2671", "SUBSCRIBED")).phone().e164());
    }

    private static MemberProfile profile(String id, String phone, String smsConsent) {
        Instant at = Instant.parse("2026-11-01T10:00:00Z");
        return new MemberProfile(id, null, phone, null, "Ada", null, at, at, at,
                new ConsentState(smsConsent, at, at), null);
    }
}
