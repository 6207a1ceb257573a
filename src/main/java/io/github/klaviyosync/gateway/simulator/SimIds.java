package io.github.klaviyosync.gateway.simulator;

import java.util.Random;

/** Ids shaped like Klaviyo's: 26-character ULIDs for profiles, 6 characters for lists and accounts. */
final class SimIds {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final char[] SHORT = "ABCDEFGHIJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final Random random;

    SimIds(long seed) {
        this.random = new Random(seed);
    }

    /** A ULID: 48 bits of milliseconds then 80 random bits, in Crockford base32. */
    synchronized String ulid(long epochMillis) {
        char[] id = new char[26];
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            id[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            id[i] = CROCKFORD[random.nextInt(32)];
        }
        return new String(id);
    }

    synchronized String shortId() {
        char[] id = new char[6];
        for (int i = 0; i < id.length; i++) {
            id[i] = SHORT[random.nextInt(SHORT.length)];
        }
        return new String(id);
    }

    synchronized String apiKey() {
        StringBuilder key = new StringBuilder("pk_");
        for (int i = 0; i < 34; i++) {
            key.append(Character.forDigit(random.nextInt(16), 16));
        }
        return key.toString();
    }

    synchronized double nextDouble() {
        return random.nextDouble();
    }
}
