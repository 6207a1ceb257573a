package io.github.klaviyosync.gateway.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.klaviyosync.gateway.klaviyo.model.AccountInfo;
import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.github.klaviyosync.gateway.privacy.LogMask;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads Klaviyo's JSON:API documents into the model records; tolerant of missing and null fields. */
final class JsonApiReader {

    private JsonApiReader() {
    }

    static AccountInfo account(JsonNode document) {
        JsonNode first = document.path("data").path(0);
        String organization = text(first.path("attributes").path("contact_information").path("organization_name"));
        return new AccountInfo(text(first.path("id")), organization);
    }

    static ListItem list(JsonNode resource) {
        JsonNode attributes = resource.path("attributes");
        return new ListItem(text(resource.path("id")), text(attributes.path("name")),
                instant(attributes.path("created")), instant(attributes.path("updated")));
    }

    /** A list's {@code profile_count}, or null when the resource does not carry a number. */
    static Integer profileCount(JsonNode resource) {
        JsonNode count = resource.path("attributes").path("profile_count");
        return count.isIntegralNumber() ? count.intValue() : null;
    }

    static MemberProfile profile(JsonNode resource) {
        JsonNode attributes = resource.path("attributes");
        JsonNode subscriptions = attributes.path("subscriptions");
        return new MemberProfile(
                text(resource.path("id")),
                text(attributes.path("email")),
                text(attributes.path("phone_number")),
                text(attributes.path("external_id")),
                text(attributes.path("first_name")),
                text(attributes.path("last_name")),
                instant(attributes.path("created")),
                instant(attributes.path("updated")),
                instant(attributes.path("joined_group_at")),
                consent(subscriptions.path("sms").path("marketing")),
                consent(subscriptions.path("email").path("marketing")));
    }

    static String id(JsonNode resource) {
        return text(resource.path("id"));
    }

    /** The document's {@code data} array read with {@code reader}, and its {@code links.next}. */
    static <T> Page<T> page(JsonNode document, Function<JsonNode, T> reader) {
        List<T> items = new ArrayList<>();
        for (JsonNode resource : document.path("data")) {
            items.add(reader.apply(resource));
        }
        String next = text(document.path("links").path("next"));
        return new Page<>(List.copyOf(items), next == null || next.isBlank() ? null : next);
    }

    /**
     * Klaviyo's {@code errors[]} (empty when the body has none), their words masked ({@link LogMask#scrub}) where they enter the gateway:
     * a refused request's detail can quote its filter, with an email or a phone number in it, and these
     * words go on to logs, exception messages and stored run errors.
     */
    static List<KlaviyoError> errors(JsonNode document) {
        List<KlaviyoError> errors = new ArrayList<>();
        for (JsonNode error : document.path("errors")) {
            JsonNode source = error.path("source");
            String sourceName = text(source.path("parameter"));
            errors.add(new KlaviyoError(
                    text(error.path("id")),
                    text(error.path("status")),
                    text(error.path("code")),
                    LogMask.scrub(text(error.path("title"))),
                    LogMask.scrub(text(error.path("detail"))),
                    LogMask.scrub(sourceName != null ? sourceName : text(source.path("pointer")))));
        }
        return errors;
    }

    private static ConsentState consent(JsonNode marketing) {
        if (!marketing.isObject()) {
            return null;
        }
        return new ConsentState(text(marketing.path("consent")),
                instant(marketing.path("consent_timestamp")), instant(marketing.path("last_updated")));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    /** Klaviyo writes RFC 3339 with an offset, sometimes with microseconds; an offset-less value is UTC. */
    static Instant instant(JsonNode node) {
        return instant(text(node));
    }

    /** A time as {@link #instant(JsonNode)} reads it from its text (null: none). */
    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant utc = utcSeconds(value);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /**
     * The form Klaviyo nearly always writes, {@code 2026-11-28T03:00:00+00:00} (or with {@code Z}),
     * read without a formatter: a member page holds hundreds of them. Anything else returns null.
     */
    static Instant utcSeconds(String value) {
        int length = value.length();
        boolean zulu = length == 20 && value.charAt(19) == 'Z';
        boolean zeroOffset = length == 25 && value.endsWith("+00:00");
        if (!(zulu || zeroOffset) || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 2);
        int day = digits(value, 8, 2);
        int hour = digits(value, 11, 2);
        int minute = digits(value, 14, 2);
        int second = digits(value, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400L
                + hour * 3_600L + minute * 60L + second);
    }

    /** The non-negative number written by {@code count} digits at {@code start}, or -1. */
    private static int digits(String value, int start, int count) {
        int number = 0;
        for (int i = start; i < start + count; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }
}
