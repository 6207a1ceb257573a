package io.github.klaviyosync.gateway.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks for log lines: {@code jane@example.com} becomes {@code j***@example.com}, {@code +15551234567}
 * becomes {@code +1******4567}. {@link #scrub(String)} masks whatever in free text looks like an
 * email, a phone number or a Klaviyo private key, for messages the gateway did not write itself.
 */
public final class LogMask {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    /** An international number, or a run of 10 to 15 digits (a national number written without spaces). */
    private static final Pattern PHONE = Pattern.compile("\\+\\d[\\d ().-]{5,}\\d|(?<![\\w.])\\d{10,15}(?![\\w.])");
    /** Klaviyo private API keys ({@code pk_} and hex). */
    private static final Pattern KLAVIYO_KEY = Pattern.compile("pk_[A-Za-z0-9_-]+");
    private static final int PHONE_KEPT_TAIL = 4;

    private LogMask() {
    }

    /** The first character of the local part and the whole domain; null stays null. */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    /** A leading {@code +} and the first digit (the start of the country code), the last four digits. */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("\\D", "");
        if (digits.length() <= PHONE_KEPT_TAIL + 2) {
            return "*".repeat(digits.length());
        }
        String head = (phone.trim().startsWith("+") ? "+" : "") + digits.charAt(0);
        String tail = digits.substring(digits.length() - PHONE_KEPT_TAIL);
        return head + "*".repeat(digits.length() - 1 - PHONE_KEPT_TAIL) + tail;
    }

    /** The text with every email, phone number and Klaviyo key in it masked. */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        String withoutKeys = KLAVIYO_KEY.matcher(text).replaceAll("pk_***");
        String withoutEmails = replace(EMAIL.matcher(withoutKeys), true);
        return replace(PHONE.matcher(withoutEmails), false);
    }

    private static String replace(Matcher matcher, boolean emails) {
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String masked = emails ? email(matcher.group()) : phone(matcher.group());
            matcher.appendReplacement(out, Matcher.quoteReplacement(masked));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
