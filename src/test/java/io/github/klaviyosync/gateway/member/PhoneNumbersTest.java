package io.github.klaviyosync.gateway.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The short cut for {@code +1} and ten digits reads exactly what libphonenumber reads. */
class PhoneNumbersTest {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    @Test
    void aNorthAmericanE164NumberIsReadAsLibphonenumberReadsIt() throws NumberParseException {
        Random random = new Random(18);
        List<String> numbers = new ArrayList<>(List.of("+14152000000", "+12125550100", "+15555550100", "+19999999999",
                "+12000000000", "+18005550199", "+16135550123", "+18095550123", "+12425550123"));
        for (int i = 0; i < 5_000; i++) {
            numbers.add("+1" + (2 + random.nextInt(8)) + String.format("%09d", random.nextInt(1_000_000_000)));
        }
        PhoneNumbers phones = new PhoneNumbers("US");
        PhoneNumbers elsewhere = new PhoneNumbers("GB");
        for (String number : numbers) {
            PhoneNumber parsed = UTIL.parse(number, "US");
            assertEquals(parsed, PhoneNumbers.nanpE164(number), number);
            boolean valid = UTIL.isValidNumber(parsed);
            PhoneNumbers.Normalised expected = valid
                    ? new PhoneNumbers.Normalised(UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164), number, false)
                    : new PhoneNumbers.Normalised(null, number, true);
            assertEquals(expected, phones.normalise(number), number);
            assertEquals(expected, elsewhere.normalise(number), number);
        }
    }

    @Test
    void anyOtherFormGoesThroughLibphonenumber() {
        for (String other : List.of("+1415200000", "+141520000000", "+11415200000", "+10415200000", "14152000000",
                "+1 415 200 0000", "+1415200000x", "+1(415)20000", "+442071838750", " +14152000000")) {
            assertNull(PhoneNumbers.nanpE164(other), other);
        }
        PhoneNumbers phones = new PhoneNumbers("US");
        assertEquals(new PhoneNumbers.Normalised("+14152000000", "+1 415 200 0000", false), phones.normalise("+1 415 200 0000"));
        assertEquals(new PhoneNumbers.Normalised("+442071838750", "+442071838750", false), phones.normalise("+442071838750"));
        assertEquals(new PhoneNumbers.Normalised(null, "+11415200000", true), phones.normalise("+11415200000"),
                "a national number cannot begin with 1");
    }
}
