package io.github.klaviyosync.gateway.simulator;

import java.util.Locale;
import java.util.Random;

/**
 * Made-up people for the demo, the same sequence for the same seed: most with a valid US number in
 * E.164, some written the national way, some with text that is no number at all, some without a
 * phone; SMS and email consent mixed. Emails are at example.com.
 */
final class DemoPeople {

    private static final String[] FIRST_NAMES = {"Ada", "Bea", "Carlos", "Dana", "Elif", "Femi", "Grace", "Hiro",
        "Ines", "Jon", "Kemal", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomas", "Uma",
        "Vik", "Wren", "Yara", "Zoe"};
    private static final String[] LAST_NAMES = {"Alvarez", "Baker", "Chen", "Dubois", "Eze", "Fischer", "Garcia",
        "Haddad", "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Silva",
        "Tanaka", "Varga", "Weber", "Young"};
    private static final String[] NOT_A_NUMBER = {"call me maybe", "n/a", "12345", "ask at the till"};

    private final Random random;
    private long serial;

    DemoPeople(long seed) {
        this.random = new Random(seed);
    }

    synchronized SimProfile next() {
        serial++;
        String first = pick(FIRST_NAMES);
        String last = pick(LAST_NAMES);
        String phone = phone();
        boolean hasEmail = phone == null || random.nextInt(10) < 8;
        String email = hasEmail ? (first + "." + last + serial + "@example.com").toLowerCase(Locale.ROOT) : null;
        return SimProfile.empty()
                .phone(phone)
                .email(email)
                .names(first, last)
                .smsConsent(phone == null ? SimProfile.NEVER_SUBSCRIBED : smsConsent())
                .emailConsent(email == null ? SimProfile.NEVER_SUBSCRIBED : emailConsent());
    }

    private String phone() {
        int kind = random.nextInt(100);
        int exchange = 200 + random.nextInt(800);
        int line = random.nextInt(10_000);
        if (kind < 72) {
            return String.format(Locale.ROOT, "+1415%03d%04d", exchange, line);
        }
        if (kind < 84) {
            return String.format(Locale.ROOT, "(415) %03d-%04d", exchange, line);
        }
        if (kind < 90) {
            return pick(NOT_A_NUMBER);
        }
        return null;
    }

    private String smsConsent() {
        int draw = random.nextInt(100);
        return draw < 78 ? SimProfile.SUBSCRIBED : draw < 90 ? SimProfile.UNSUBSCRIBED : SimProfile.NEVER_SUBSCRIBED;
    }

    private String emailConsent() {
        int draw = random.nextInt(100);
        return draw < 55 ? SimProfile.SUBSCRIBED : draw < 70 ? SimProfile.UNSUBSCRIBED : SimProfile.NEVER_SUBSCRIBED;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
