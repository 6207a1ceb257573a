package io.github.klaviyosync.gateway.testsupport;

import java.lang.reflect.Field;

/** The SQL a repository keeps in a static constant private to its package, for tests that plan or run it. */
public final class SqlConstants {

    private SqlConstants() {
    }

    /** The value of {@code owner}'s static String field {@code name}. */
    public static String of(Class<?> owner, String name) throws ReflectiveOperationException {
        return (String) field(owner, name).get(null);
    }

    /** The value of {@code owner}'s static int field {@code name}: a bound its SQL is built with. */
    public static int intOf(Class<?> owner, String name) throws ReflectiveOperationException {
        return field(owner, name).getInt(null);
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
