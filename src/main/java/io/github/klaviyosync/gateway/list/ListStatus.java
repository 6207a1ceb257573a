package io.github.klaviyosync.gateway.list;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** Whether Klaviyo still has the list. */
public enum ListStatus implements WireValue {
    ACTIVE("active"),
    DELETED("deleted");

    private final String wire;

    ListStatus(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<ListStatus> {
        public DbConverter() {
            super(ListStatus.class);
        }
    }
}
