import java.lang.reflect.Field;

/**
 * Benchmark tooling: prints one of the gateway's SQL statements, a static field of its class, as
 * the packaged build holds it (placeholders filled), so that a benchmark times the statement the
 * gateway runs rather than a copy of it.
 * Run: java -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*" bench/Statement.java list.ListRepository CLAIM
 */
public class Statement {

    public static void main(String[] args) throws Exception {
        Class<?> owner = Class.forName("io.github.klaviyosync.gateway." + args[0]);
        Field field = owner.getDeclaredField(args[1]);
        field.setAccessible(true);
        System.out.println(field.get(null));
    }
}
