package io.github.klaviyosync.gateway.testsupport;

import java.lang.reflect.Field;

/** The SQL a repository keeps in a static constant private to its package, for tests that plan or run it. */
public final class SqlConstants {

    private SqlConstants() {
    }

    /** The value of {@code owner}'s static String field {@code name}. */
    public static String of(Class<?> owner, String name) throws ReflectiveOperationException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return (String) field.get(null);
    }
}
