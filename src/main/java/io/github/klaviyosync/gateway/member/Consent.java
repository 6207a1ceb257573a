package io.github.klaviyosync.gateway.member;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** Klaviyo's marketing consent words. Being on a list is not consent. */
public enum Consent implements WireValue {
    SUBSCRIBED("SUBSCRIBED"),
    UNSUBSCRIBED("UNSUBSCRIBED"),
    NEVER_SUBSCRIBED("NEVER_SUBSCRIBED");

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
        return WireValue.parse(Consent.class, wire);
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<Consent> {
        public DbConverter() {
            super(Consent.class);
        }
    }
}
