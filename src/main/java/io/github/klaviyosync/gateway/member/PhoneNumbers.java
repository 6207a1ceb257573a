package io.github.klaviyosync.gateway.member;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Normalises the phone numbers Klaviyo gives (meant to be E.164, not always) with libphonenumber.
 * A number that does not parse to a valid number is kept as given and flagged: never dropped,
 * never guessed into another number.
 */
@ApplicationScoped
public class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    @Inject
    PhoneNumbers(GatewayConfig config) {
        this(config.sync().defaultPhoneRegion());
    }

    public PhoneNumbers(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /** The phone as stored: E.164 when valid, the raw text always, and whether a given number was invalid. */
    public record Normalised(String e164, String raw, boolean invalid) {
        static final Normalised NONE = new Normalised(null, null, false);
    }

    public Normalised normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalised.NONE;
        }
        try {
            PhoneNumber number = nanpE164(raw);
            if (number == null) {
                number = UTIL.parse(raw.trim(), defaultRegion);
            }
            if (UTIL.isValidNumber(number)) {
                return new Normalised(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), raw, false);
            }
        } catch (NumberParseException e) {
            // Falls through: kept raw and flagged.
        }
        return new Normalised(null, raw, true);
    }

    /**
     * The number {@link PhoneNumberUtil#parse} reads from the form nearly every SMS subscriber's phone
     * comes in, {@code +1} and ten digits of a North American number (area code 2-9), without its
     * regular expressions (a member page holds a hundred); null for any other text.
     */
    static PhoneNumber nanpE164(String raw) {
        if (raw.length() != 12 || raw.charAt(0) != '+' || raw.charAt(1) != '1' || raw.charAt(2) < '2' || raw.charAt(2) > '9') {
            return null;
        }
        long national = 0;
        for (int i = 2; i < 12; i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            national = national * 10 + (c - '0');
        }
        return new PhoneNumber().setCountryCode(1).setNationalNumber(national);
    }
}
