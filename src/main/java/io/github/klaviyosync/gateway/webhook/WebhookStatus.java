package io.github.klaviyosync.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** Where a stored webhook event stands. */
public enum WebhookStatus implements WireValue {
    RECEIVED("received"),
    APPLIED("applied"),
    FAILED("failed");

    private final String wire;

    WebhookStatus(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    public static WebhookStatus fromWire(String wire) {
        return WireValue.parse(WebhookStatus.class, wire);
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<WebhookStatus> {
        public DbConverter() {
            super(WebhookStatus.class);
        }
    }
}
