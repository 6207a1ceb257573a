package io.github.klaviyosync.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** Signed system webhook or merchant-built flow webhook. */
public enum WebhookKind implements WireValue {
    SYSTEM("system"),
    FLOW("flow");

    private final String wire;

    WebhookKind(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    public static WebhookKind fromWire(String wire) {
        return WireValue.parse(WebhookKind.class, wire);
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<WebhookKind> {
        public DbConverter() {
            super(WebhookKind.class);
        }
    }
}
