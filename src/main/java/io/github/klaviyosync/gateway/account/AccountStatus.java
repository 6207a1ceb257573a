package io.github.klaviyosync.gateway.account;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.klaviyosync.gateway.db.WireValue;
import io.github.klaviyosync.gateway.db.WireValueConverter;
import jakarta.persistence.Converter;

/** Whether the gateway may call Klaviyo for an account. */
public enum AccountStatus implements WireValue {
    ACTIVE("active"),
    AUTH_FAILED("auth_failed"),
    DELETED("deleted");

    private final String wire;

    AccountStatus(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Stores the constant as its word. */
    @Converter(autoApply = true)
    public static class DbConverter extends WireValueConverter<AccountStatus> {
        public DbConverter() {
            super(AccountStatus.class);
        }
    }
}
