package io.github.klaviyosync.gateway.syncrun;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** What a sync run does: find the account's lists, fetch a list's members, or sweep the account's changed profiles. */
public enum SyncKind implements WireValue {
    DISCOVERY("discovery"),
    MEMBERS("members"),
    PROFILES("profiles");

    private final String wire;

    SyncKind(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<SyncKind> {
        public DbConverter() {
            super(SyncKind.class);
        }
    }
}
