package io.github.klaviyosync.gateway.member;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** Which path brought a membership in: the periodic poll or a webhook push. */
public enum MembershipSource implements WireValue {
    POLL("poll"),
    WEBHOOK("webhook");

    private final String wire;

    MembershipSource(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<MembershipSource> {
        public DbConverter() {
            super(MembershipSource.class);
        }
    }
}
