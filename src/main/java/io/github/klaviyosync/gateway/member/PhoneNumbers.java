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
            PhoneNumber number = UTIL.parse(raw.trim(), defaultRegion);
            if (UTIL.isValidNumber(number)) {
                return new Normalised(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), raw, false);
            }
        } catch (NumberParseException e) {
            // Falls through: kept raw and flagged.
        }
        return new Normalised(null, raw, true);
    }
}
