package io.github.klaviyosync.gateway.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogMaskTest {

    @Test
    void masksAnEmailToItsFirstLetterAndDomain() {
        assertEquals("j***@example.com", LogMask.email("jane.doe@example.com"));
        assertEquals("***", LogMask.email("not-an-email"));
        assertNull(LogMask.email(null));
    }

    @Test
    void masksAPhoneToItsCountryStartAndLastFourDigits() {
        assertEquals("+1******4567", LogMask.phone("+15551234567"));
        assertEquals("+4*******5678", LogMask.phone("+44 20 1234 5678"));
        assertEquals("*****", LogMask.phone("12345"));
        assertNull(LogMask.phone(null));
    }

    @Test
    void scrubsKeysEmailsAndPhonesFromFreeText() {
        String text = "Key (email)=(jane@example.com) with pk_abcdef0123456789 failed for +1 (555) 123-4567 and 5551234567"
                + " at 2026-11-28T03:00:00Z in list 4711";
        String scrubbed = LogMask.scrub(text);
        assertFalse(scrubbed.contains("jane@"), scrubbed);
        assertFalse(scrubbed.contains("abcdef0123456789"), scrubbed);
        assertFalse(scrubbed.contains("123-4567") || scrubbed.contains("5551234567"), scrubbed);
        assertTrue(scrubbed.contains("j***@example.com") && scrubbed.contains("pk_***"), scrubbed);
        assertTrue(scrubbed.contains("2026-11-28T03:00:00Z") && scrubbed.contains("list 4711"), "dates and ids stay: " + scrubbed);
    }

    @Test
    void aScrubbedExceptionKeepsClassesAndFramesButNotTheData() {
        var original = new IllegalStateException("failed for jane@example.com",
                new RuntimeException("phone +15551234567 refused"));
        ScrubbedThrowable scrubbed = ScrubbedThrowable.of(original);
        assertEquals("java.lang.IllegalStateException: failed for j***@example.com", scrubbed.toString());
        assertEquals("java.lang.RuntimeException: phone +1******4567 refused", scrubbed.getCause().toString());
        assertEquals(original.getStackTrace().length, scrubbed.getStackTrace().length);
    }
}
