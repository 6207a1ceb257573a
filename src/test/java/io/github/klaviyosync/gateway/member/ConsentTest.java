package io.github.klaviyosync.gateway.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What polls and webhooks store of Klaviyo's consent: a known word, and since when it holds. */
class ConsentTest {

    private static final Instant GIVEN = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant CHANGED = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void storesTheLaterOfWhenConsentWasGivenAndWhenTheChannelLastChanged() {
        assertEquals(CHANGED, Consent.timeOf(new ConsentState("SUBSCRIBED", GIVEN, CHANGED)));
        assertEquals(CHANGED, Consent.timeOf(new ConsentState("UNSUBSCRIBED", CHANGED, GIVEN)));
        assertEquals(GIVEN, Consent.timeOf(new ConsentState("SUBSCRIBED", GIVEN, null)));
        assertEquals(CHANGED, Consent.timeOf(new ConsentState("NEVER_SUBSCRIBED", null, CHANGED)));
        assertEquals("UNSUBSCRIBED", Consent.wordOf(new ConsentState("UNSUBSCRIBED", GIVEN, CHANGED)));
    }

    @Test
    void storesNeitherWordNorTimeForAWordItDoesNotKnow() {
        ConsentState unknown = new ConsentState("MAYBE", GIVEN, CHANGED);
        assertNull(Consent.wordOf(unknown));
        assertNull(Consent.timeOf(unknown));
        assertNull(Consent.wordOf(null));
        assertNull(Consent.timeOf(null));
    }
}
