package io.github.klaviyosync.gateway.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.klaviyosync.gateway.klaviyo.model.AccountInfo;
import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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

    /** Klaviyo's {@code errors[]}, empty when the body has none. */
    static List<KlaviyoError> errors(JsonNode document) {
        List<KlaviyoError> errors = new ArrayList<>();
        for (JsonNode error : document.path("errors")) {
            JsonNode source = error.path("source");
            String sourceName = text(source.path("parameter"));
            errors.add(new KlaviyoError(
                    text(error.path("id")),
                    text(error.path("status")),
                    text(error.path("code")),
                    text(error.path("title")),
                    text(error.path("detail")),
                    sourceName != null ? sourceName : text(source.path("pointer"))));
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
        String value = text(node);
        if (value == null || value.isBlank()) {
            return null;
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
}
