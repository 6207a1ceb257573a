package io.github.klaviyosync.gateway.db;

import jakarta.persistence.AttributeConverter;

/** Stores a {@link WireValue} enum as its word; subclasses name the enum and carry {@code @Converter}. */
public abstract class WireValueConverter<E extends Enum<E> & WireValue> implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected WireValueConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : value.wire();
    }

    @Override
    public E convertToEntityAttribute(String wire) {
        return WireValue.parse(type, wire);
    }
}
