package io.github.klaviyosync.gateway.db;

/** An enum constant with the exact word it is stored and shown as (often lowercase, as in CONTRACT.md). */
public interface WireValue {

    String wire();

    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String wire) {
        if (wire == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(wire)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + wire);
    }
}
