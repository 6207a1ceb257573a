package io.github.klaviyosync.gateway.klaviyo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a page of profiles (a list's members, or {@code get_profiles}) with Jackson's streaming
 * parser, straight into {@link MemberProfile}s: a member page is 100 profiles, and building a tree
 * of each page first cost the event loop about a sixth of its time. It reads what
 * {@link JsonApiReader#profile} and {@link JsonApiReader#page} read, with the same results: unknown
 * fields are skipped, a null or missing field reads as null, an attribute or channel that is not an
 * object reads as absent, a field given twice counts as its last value. A document of another shape
 * (a scalar where a text is expected, {@code data} that is not an array of objects, no object at the
 * root) is read again as a tree by {@link JsonApiReader}, so that the odd answer reads exactly as it
 * always did; malformed JSON fails either way.
 */
final class ProfilePageReader {

    /** Thrown to fall back to the tree reader; no stack trace, it never leaves this class. */
    private static final class Unusual extends RuntimeException {
        Unusual() {
            super(null, null, false, false);
        }
    }

    private static final Unusual UNUSUAL = new Unusual();

    /** A profile's {@code attributes} as far as read. */
    private static final class Attributes {
        String email;
        String phoneNumber;
        String externalId;
        String firstName;
        String lastName;
        Instant created;
        Instant updated;
        Instant joinedGroupAt;
        ConsentState sms;
        ConsentState emailConsent;
    }

    private ProfilePageReader() {
    }

    /** The page in {@code body}: its profiles and {@code links.next} (null when blank or absent). */
    static Page<MemberProfile> read(ObjectMapper mapper, byte[] body) throws IOException {
        Page<MemberProfile> page = streamed(mapper, body);
        return page != null ? page : JsonApiReader.page(mapper.readTree(body), JsonApiReader::profile);
    }

    /** The page read by the streaming parser alone, or null when its shape is left to the tree reader. */
    static Page<MemberProfile> streamed(ObjectMapper mapper, byte[] body) throws IOException {
        try (JsonParser parser = mapper.createParser(body)) {
            return document(parser);
        } catch (Unusual unusual) {
            return null;
        }
    }

    private static Page<MemberProfile> document(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw UNUSUAL;
        }
        List<MemberProfile> items = List.of();
        String next = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "data" -> items = data(parser, value);
                case "links" -> next = next(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new Page<>(items, next == null || next.isBlank() ? null : next);
    }

    /** {@code data}: an array of profiles; null or a scalar holds none (as a tree iterates them). */
    private static List<MemberProfile> data(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.START_OBJECT) {
            throw UNUSUAL;
        }
        if (value != JsonToken.START_ARRAY) {
            return List.of();
        }
        List<MemberProfile> items = new ArrayList<>();
        JsonToken item;
        while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (item != JsonToken.START_OBJECT) {
                throw UNUSUAL;
            }
            items.add(profile(parser));
        }
        return List.copyOf(items);
    }

    /** {@code links.next}; null when {@code links} is not an object. */
    private static String next(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String next = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if ("next".equals(name)) {
                next = text(parser, token);
            } else {
                parser.skipChildren();
            }
        }
        return next;
    }

    private static MemberProfile profile(JsonParser parser) throws IOException {
        String id = null;
        Attributes attributes = new Attributes();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "id" -> id = text(parser, value);
                case "attributes" -> attributes = attributes(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new MemberProfile(id, attributes.email, attributes.phoneNumber, attributes.externalId,
                attributes.firstName, attributes.lastName, attributes.created, attributes.updated,
                attributes.joinedGroupAt, attributes.sms, attributes.emailConsent);
    }

    private static Attributes attributes(JsonParser parser, JsonToken value) throws IOException {
        Attributes attributes = new Attributes();
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return attributes;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "email" -> attributes.email = text(parser, token);
                case "phone_number" -> attributes.phoneNumber = text(parser, token);
                case "external_id" -> attributes.externalId = text(parser, token);
                case "first_name" -> attributes.firstName = text(parser, token);
                case "last_name" -> attributes.lastName = text(parser, token);
                case "created" -> attributes.created = JsonApiReader.instant(text(parser, token));
                case "updated" -> attributes.updated = JsonApiReader.instant(text(parser, token));
                case "joined_group_at" -> attributes.joinedGroupAt = JsonApiReader.instant(text(parser, token));
                case "subscriptions" -> subscriptions(parser, token, attributes);
                default -> parser.skipChildren();
            }
        }
        return attributes;
    }

    /** {@code subscriptions}: each channel's {@code marketing}; a later {@code subscriptions} replaces an earlier one. */
    private static void subscriptions(JsonParser parser, JsonToken value, Attributes attributes) throws IOException {
        attributes.sms = null;
        attributes.emailConsent = null;
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "sms" -> attributes.sms = marketing(parser, token);
                case "email" -> attributes.emailConsent = marketing(parser, token);
                default -> parser.skipChildren();
            }
        }
    }

    /** A channel's {@code marketing} consent, or null when the channel or its {@code marketing} is not an object. */
    private static ConsentState marketing(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        ConsentState consent = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if ("marketing".equals(name)) {
                consent = token == JsonToken.START_OBJECT ? consent(parser) : skipped(parser);
            } else {
                parser.skipChildren();
            }
        }
        return consent;
    }

    private static ConsentState consent(JsonParser parser) throws IOException {
        String word = null;
        Instant timestamp = null;
        Instant lastUpdated = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "consent" -> word = text(parser, token);
                case "consent_timestamp" -> timestamp = JsonApiReader.instant(text(parser, token));
                case "last_updated" -> lastUpdated = JsonApiReader.instant(text(parser, token));
                default -> parser.skipChildren();
            }
        }
        return new ConsentState(word, timestamp, lastUpdated);
    }

    private static ConsentState skipped(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    /**
     * A string's text; null for null, an object or an array (as the tree reader reads them). Any
     * other scalar (a number, a boolean) goes to the tree reader, which writes it as text its own way.
     */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        throw UNUSUAL;
    }
}
