package io.github.klaviyosync.gateway.syncrun;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** What started a sync run. */
public enum SyncTrigger implements WireValue {
    SCHEDULE("schedule"),
    WEBHOOK("webhook"),
    MANUAL("manual"),
    CONNECT("connect");

    private final String wire;

    SyncTrigger(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    public static SyncTrigger fromWire(String wire) {
        return WireValue.parse(SyncTrigger.class, wire);
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<SyncTrigger> {
        public DbConverter() {
            super(SyncTrigger.class);
        }
    }
}
