package io.github.klaviyosync.gateway.member;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import jakarta.persistence.Converter;
import java.time.Instant;

/** Klaviyo's marketing consent words. Being on a list is not consent. */
public enum Consent implements WireValue {
    SUBSCRIBED("SUBSCRIBED"),
    UNSUBSCRIBED("UNSUBSCRIBED"),
    NEVER_SUBSCRIBED("NEVER_SUBSCRIBED");

    private static final Consent[] WORDS = values();

    private final String wire;

    Consent(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    public static Consent fromWire(String wire) {
        if (wire != null) {
            // Read for each channel of each profile of a page: the constants, without values()'s copy.
            for (Consent word : WORDS) {
                if (word.wire.equals(wire)) {
                    return word;
                }
            }
        }
        return WireValue.parse(Consent.class, wire);
    }

    /**
     * The word to store for what Klaviyo reported: one of the three the gateway knows, else null
     * (an unknown word is not recorded). Polls and webhooks store consent by this one rule.
     */
    public static String wordOf(ConsentState state) {
        if (state == null || state.consent() == null) {
            return null;
        }
        try {
            return fromWire(state.consent()).wire();
        } catch (IllegalArgumentException unknownWord) {
            return null;
        }
    }

    /**
     * Since when the stored word holds as far as Klaviyo says: the later of when it was given and when
     * the channel last changed, so that a consent event older than what was stored never overrides
     * it; null when no word is stored.
     */
    public static Instant timeOf(ConsentState state) {
        if (wordOf(state) == null) {
            return null;
        }
        Instant given = state.consentTimestamp();
        Instant changed = state.lastUpdated();
        if (given == null || changed == null) {
            return given == null ? changed : given;
        }
        return given.isAfter(changed) ? given : changed;
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<Consent> {
        public DbConverter() {
            super(Consent.class);
        }
    }
}
