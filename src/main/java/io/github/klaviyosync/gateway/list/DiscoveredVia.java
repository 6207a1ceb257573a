package io.github.klaviyosync.gateway.list;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** How the gateway learnt of a list. */
public enum DiscoveredVia implements WireValue {
    DISCOVERY("discovery"),
    WEBHOOK("webhook");

    private final String wire;

    DiscoveredVia(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<DiscoveredVia> {
        public DbConverter() {
            super(DiscoveredVia.class);
        }
    }
}
