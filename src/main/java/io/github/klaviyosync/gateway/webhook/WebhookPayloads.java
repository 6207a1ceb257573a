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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads webhook bodies strictly: a number where a string belongs, an object where an array belongs,
 * trailing bytes or invalid UTF-8 are all {@link WebhookRejection#malformed 400s}, whose detail names
 * the problem without echoing the body. Also reads stored events back for the applier.
 */
@ApplicationScoped
public class WebhookPayloads {

    private final ObjectMapper mapper = strictMapper();

    public SystemWebhook parseSystem(byte[] body) {
        SystemWebhook webhook = read(body, SystemWebhook.class);
        if (webhook == null || webhook.data() == null) {
            throw WebhookRejection.malformed("data must be an array of events");
        }
        if (webhook.meta() == null || isBlank(webhook.meta().klaviyoWebhookId()) || isBlank(webhook.meta().klaviyoAccountId())) {
            throw WebhookRejection.malformed("meta.klaviyo_account_id and meta.klaviyo_webhook_id are required");
        }
        return webhook;
    }

    /** One element of a system request's {@code data}, checked for what applying it needs. */
    public SystemWebhook.Event parseEvent(JsonNode element) {
        SystemWebhook.Event event = convert(element);
        if (isBlank(event.externalId()) || isBlank(event.topic())) {
            throw WebhookRejection.malformed("each event needs a string external_id and topic");
        }
        if (event.payload() == null || !event.payload().isObject()) {
            throw WebhookRejection.malformed("each event needs a payload object");
        }
        if (ConsentTopic.of(event.topic()).isPresent() && profileId(event) == null) {
            throw WebhookRejection.malformed("a consent event needs payload.data.relationships.profile.data.id");
        }
        return event;
    }

    public FlowPush parseFlow(byte[] body) {
        FlowPush push = read(body, FlowPush.class);
        if (push == null || isBlank(push.listId()) || isBlank(push.profileId())) {
            throw WebhookRejection.malformed("list_id and profile_id are required strings");
        }
        if (hasNul(push.listId(), push.profileId(), push.email(), push.phoneNumber(), push.firstName(), push.lastName())) {
            throw WebhookRejection.malformed("text values must not contain NUL characters");
        }
        return push;
    }

    /** A stored system event, as {@link #parseEvent} accepted it. */
    public SystemWebhook.Event storedEvent(String payload) {
        return read(payload, SystemWebhook.Event.class);
    }

    /** A stored flow push, as {@link #parseFlow} accepted it. */
    public FlowPush storedFlowPush(String payload) {
        return read(payload, FlowPush.class);
    }

    /** The profile a system event is about ({@code payload.data.relationships.profile.data.id}), or null. */
    public static String profileId(SystemWebhook.Event event) {
        JsonNode id = event.payload().at("/data/relationships/profile/data/id");
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
        return seconds.isIntegralNumber() ? Instant.ofEpochSecond(seconds.asLong()) : null;
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
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw WebhookRejection.malformed(describe(type));
        }
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

    private static boolean hasNul(String... values) {
        for (String value : values) {
            if (value != null && value.indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
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
