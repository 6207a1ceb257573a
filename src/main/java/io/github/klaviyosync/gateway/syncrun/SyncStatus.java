package io.github.klaviyosync.gateway.syncrun;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** Where a sync run stands. */
public enum SyncStatus implements WireValue {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String wire;

    SyncStatus(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<SyncStatus> {
        public DbConverter() {
            super(SyncStatus.class);
        }
    }
}
