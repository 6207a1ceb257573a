package io.github.klaviyosync.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads webhook bodies strictly: a number where a string belongs, an object where an array belongs,
 * trailing bytes, invalid UTF-8, UTF-16 or a byte order mark are all {@link WebhookRejection#malformed
 * 400s}, whose detail names the problem without echoing the body. Also reads stored events back for the applier.
 */
@ApplicationScoped
public class WebhookPayloads {

    /** Longest id (Klaviyo's external ids, topics, list and profile ids, webhook and account ids). */
    static final int MAX_ID_LENGTH = 200;
    /** Longest pushed email (RFC 5321's limit on a path). */
    static final int MAX_EMAIL_LENGTH = 320;
    /** Longest pushed first or last name. */
    static final int MAX_NAME_LENGTH = 100;
    /** Longest pushed phone number, as written (E.164 has at most 16 characters). */
    static final int MAX_PHONE_LENGTH = 40;
    /** How far from now an event's own time may be: beyond it, a time is wrong (and may not even fit a column). */
    static final Duration MAX_EVENT_TIME_DISTANCE = Duration.ofDays(365);

    private static final String PROFILE_ID = "/data/relationships/profile/data/id";

    private final ObjectMapper mapper = strictMapper();

    /**
     * A system webhook request. Every value that becomes a column is checked here, before anything is
     * stored, so that a bad request fails alone with a 400 naming the field.
     */
    public SystemWebhook parseSystem(byte[] body) {
        SystemWebhook webhook = read(body, SystemWebhook.class);
        if (webhook == null || webhook.data() == null) {
            throw WebhookRejection.malformed("data must be an array of events");
        }
        if (webhook.meta() == null || isBlank(webhook.meta().klaviyoWebhookId()) || isBlank(webhook.meta().klaviyoAccountId())) {
            throw WebhookRejection.malformed("meta.klaviyo_account_id and meta.klaviyo_webhook_id are required");
        }
        checkText("meta.klaviyo_webhook_id", webhook.meta().klaviyoWebhookId(), MAX_ID_LENGTH);
        checkText("meta.klaviyo_account_id", webhook.meta().klaviyoAccountId(), MAX_ID_LENGTH);
        return webhook;
    }

    /** One element of a system request's {@code data}, checked for what storing and applying it needs. */
    public SystemWebhook.Event parseEvent(JsonNode element, Instant now) {
        SystemWebhook.Event event = convert(element);
        if (isBlank(event.externalId()) || isBlank(event.topic())) {
            throw WebhookRejection.malformed("each event needs a string external_id and topic");
        }
        checkText("external_id", event.externalId(), MAX_ID_LENGTH);
        checkText("topic", event.topic(), MAX_ID_LENGTH);
        if (event.payload() == null || !event.payload().isObject()) {
            throw WebhookRejection.malformed("each event needs a payload object");
        }
        JsonNode profile = event.payload().at(PROFILE_ID);
        if (profile.isTextual()) {
            checkText("payload.data.relationships.profile.data.id", profile.asText(), MAX_ID_LENGTH);
        }
        if (ConsentTopic.of(event.topic()).isPresent() && profileId(event) == null) {
            throw WebhookRejection.malformed("a consent event needs payload.data.relationships.profile.data.id");
        }
        checkEventTime(event, now);
        return event;
    }

    public FlowPush parseFlow(byte[] body) {
        FlowPush push = read(body, FlowPush.class);
        if (lacksIds(push)) {
            throw WebhookRejection.malformed("list_id and profile_id are required strings");
        }
        checkText("list_id", push.listId(), MAX_ID_LENGTH);
        checkText("profile_id", push.profileId(), MAX_ID_LENGTH);
        checkText("email", push.email(), MAX_EMAIL_LENGTH);
        checkText("phone_number", push.phoneNumber(), MAX_PHONE_LENGTH);
        checkText("first_name", push.firstName(), MAX_NAME_LENGTH);
        checkText("last_name", push.lastName(), MAX_NAME_LENGTH);
        return push;
    }

    /** A value that becomes a column: no NUL (PostgreSQL's text cannot hold one), at most {@code max} characters. */
    private static void checkText(String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.indexOf('\0') >= 0) {
            throw WebhookRejection.malformed("'" + field + "' must not contain NUL characters");
        }
        if (value.length() > max) {
            throw WebhookRejection.malformed("'" + field + "' must be at most " + max + " characters");
        }
    }

    /** An event time, when the event gives one, must be a time within a year of now. */
    private static void checkEventTime(SystemWebhook.Event event, Instant now) {
        JsonNode attributes = event.payload().at("/data/attributes");
        boolean given = attributes.path("datetime").isTextual() || attributes.path("timestamp").isNumber();
        Instant at = given ? occurredAt(event) : null;
        if (given && (at == null || Duration.between(at, now).abs().compareTo(MAX_EVENT_TIME_DISTANCE) > 0)) {
            String field = attributes.path("datetime").isTextual() ? "datetime" : "timestamp";
            throw WebhookRejection.malformed("'payload.data.attributes." + field + "' must be a time within "
                    + MAX_EVENT_TIME_DISTANCE.toDays() + " days of now");
        }
    }

    /** A stored system event, as {@link #parseEvent} accepted it. */
    public SystemWebhook.Event storedEvent(String payload) {
        return read(payload, SystemWebhook.Event.class);
    }

    /**
     * A stored flow push, as {@link #parseFlow} accepted it. A stored row that lacks what the intake
     * required (written by hand, say) cannot be applied: asking Klaviyo about a list with no id would
     * only spend the account's quota on retries.
     */
    public FlowPush storedFlowPush(String payload) {
        FlowPush push = read(payload, FlowPush.class);
        if (lacksIds(push)) {
            throw new UnappliableEvent("the stored push has no list_id or profile_id");
        }
        return push;
    }

    /** The profile a system event is about ({@code payload.data.relationships.profile.data.id}), or null. */
    public static String profileId(SystemWebhook.Event event) {
        JsonNode id = event.payload().at(PROFILE_ID);
        return id.isTextual() && !id.asText().isBlank() && id.asText().indexOf('\0') < 0 ? id.asText() : null;
    }

    /** When the event happened: {@code attributes.datetime}, else {@code attributes.timestamp} (seconds), else null. */
    public static Instant occurredAt(SystemWebhook.Event event) {
        JsonNode attributes = event.payload().at("/data/attributes");
        JsonNode datetime = attributes.path("datetime");
        if (datetime.isTextual()) {
            try {
                return OffsetDateTime.parse(datetime.asText()).toInstant();
            } catch (DateTimeParseException e) {
                // Falls back to the numeric timestamp.
            }
        }
        JsonNode seconds = attributes.path("timestamp");
        if (!seconds.isIntegralNumber() || !seconds.canConvertToLong()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(seconds.asLong());
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
    }

    public String toJson(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree did not serialise", e);
        }
    }

    private SystemWebhook.Event convert(JsonNode element) {
        if (element == null || !element.isObject()) {
            throw WebhookRejection.malformed("each element of data must be an object");
        }
        try {
            return mapper.treeToValue(element, SystemWebhook.Event.class);
        } catch (JsonProcessingException e) {
            throw WebhookRejection.malformed("each event needs a string external_id and topic");
        }
    }

    private <T> T read(byte[] body, Class<T> type) {
        if (!plainUtf8(body)) {
            throw WebhookRejection.malformed("the body must be JSON in UTF-8, without a byte order mark");
        }
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw WebhookRejection.malformed(describe(type));
        }
    }

    /**
     * JSON on the wire is UTF-8 without a byte order mark (RFC 8259). Jackson would read UTF-16 and
     * UTF-32 too (it detects them by a BOM or by zero bytes among the first four) and skip a UTF-8
     * BOM, while a flow push is stored as the UTF-8 text of its bytes. JSON text starts with an
     * ASCII character and never holds a zero byte, so without either Jackson reads UTF-8, strictly.
     */
    private static boolean plainUtf8(byte[] body) {
        if (body.length > 0 && body[0] < 0) {
            return false;
        }
        for (byte b : body) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }

    private <T> T read(String stored, Class<T> type) {
        try {
            return mapper.readValue(stored, type);
        } catch (IOException e) {
            throw new UnappliableEvent("the stored payload does not parse as a " + type.getSimpleName());
        }
    }

    private static String describe(Class<?> type) {
        return type == FlowPush.class
                ? "the body must be a JSON object of string fields list_id, profile_id, email, phone_number, first_name, last_name"
                : "the body must be a JSON object with a data array and a meta object";
    }


    /** A push without the list and the profile it names: the intake refuses it, the applier cannot apply it. */
    private static boolean lacksIds(FlowPush push) {
        return push == null || isBlank(push.listId()) || isBlank(push.profileId());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        // Strings stay strings: 5, 5.0 or true where a string belongs is a wrong shape, not "5".
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
