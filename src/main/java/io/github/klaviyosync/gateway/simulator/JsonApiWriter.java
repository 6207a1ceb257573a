package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the JSON:API documents Klaviyo answers with (shapes from its OpenAPI spec): resources with
 * {@code type}, {@code id}, {@code attributes} and {@code links.self}; collections with
 * {@code links.self/next/prev}; errors as {@code errors[]}.
 */
final class JsonApiWriter {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private JsonApiWriter() {
    }

    static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    static JsonObject account(SimulatedAccount account, String base) {
        JsonObject address = new JsonObject().put("address1", "125 Summer Street").put("address2", null)
                .put("city", "Boston").put("region", "MA").put("country", "US").put("zip", "02110");
        JsonObject contact = new JsonObject()
                .put("default_sender_name", account.organizationName())
                .put("default_sender_email", "hello@example.com")
                .put("website_url", "https://example.com")
                .put("organization_name", account.organizationName())
                .put("street_address", address);
        JsonObject attributes = new JsonObject().put("test_account", false).put("contact_information", contact)
                .put("industry", null).put("timezone", "US/Eastern").put("preferred_currency", "USD")
                .put("public_api_key", account.klaviyoAccountId()).put("locale", "en-US");
        return resource("account", account.klaviyoAccountId(), attributes, base + "/api/accounts/" + account.klaviyoAccountId() + "/");
    }

    static JsonObject list(SimList list, String base) {
        JsonObject attributes = new JsonObject().put("name", list.name).put("created", time(list.created))
                .put("updated", time(list.updated)).put("opt_in_process", "single_opt_in");
        String self = base + "/api/lists/" + list.id + "/";
        JsonObject relationships = new JsonObject()
                .put("profiles", relationshipLinks(self, "profiles"))
                .put("tags", relationshipLinks(self, "tags"));
        return resource("list", list.id, attributes, self).put("relationships", relationships);
    }

    static JsonObject profile(StoredProfile stored, Instant joinedAt, boolean subscriptions, String base) {
        SimProfile person = stored.person();
        JsonObject attributes = new JsonObject()
                .put("email", person.email())
                .put("phone_number", person.phone())
                .put("external_id", person.externalId())
                .put("first_name", person.firstName())
                .put("last_name", person.lastName())
                .put("organization", null)
                .put("locale", null)
                .put("title", null)
                .put("image", null)
                .put("created", time(stored.created()))
                .put("updated", time(stored.updated()))
                .put("last_event_date", null)
                .put("location", null)
                .put("properties", new JsonObject());
        if (joinedAt != null) {
            attributes.put("joined_group_at", time(joinedAt));
        }
        if (subscriptions) {
            attributes.put("subscriptions", subscriptions(stored));
        }
        return resource("profile", stored.id(), attributes, base + "/api/profiles/" + stored.id() + "/");
    }

    /**
     * The resource with only the attributes of its sparse fieldset (null: all of them). A dotted
     * name keeps that member of an object attribute, e.g. {@code subscriptions.sms.marketing.consent}.
     */
    static JsonObject sparse(JsonObject resource, Set<String> fields) {
        if (fields == null) {
            return resource;
        }
        JsonObject attributes = resource.getJsonObject("attributes");
        JsonObject kept = new JsonObject();
        for (String field : fields) {
            copyPath(attributes, kept, field.split("\\."), 0);
        }
        return resource.put("attributes", kept);
    }

    /** Adds the related resources asked for with {@code include}: the simulator holds none (no tags, flows, push tokens...). */
    static JsonObject included(JsonObject document, Set<String> include) {
        return include.isEmpty() ? document : document.put("included", new JsonArray());
    }

    private static void copyPath(JsonObject from, JsonObject to, String[] path, int depth) {
        String name = path[depth];
        if (!from.containsKey(name)) {
            return;
        }
        Object value = from.getValue(name);
        if (depth == path.length - 1 || !(value instanceof JsonObject nested)) {
            to.put(name, value);
            return;
        }
        JsonObject target = to.getValue(name) instanceof JsonObject existing ? existing : new JsonObject();
        to.put(name, target);
        copyPath(nested, target, path, depth + 1);
    }

    static JsonObject identifier(String type, String id) {
        return new JsonObject().put("type", type).put("id", id);
    }

    /** A collection: {@code data}, and {@code links} whose {@code next}/{@code prev} are null or absent. */
    static JsonObject collection(List<JsonObject> data, String self, String next, SimulatedAccount.LastPageLinks style) {
        return new JsonObject().put("data", new JsonArray(List.copyOf(data))).put("links", collectionLinks(self, next, style));
    }

    /**
     * A collection written from its items' JSON: the same characters as {@link #collection} writes
     * for the same items (the encoder puts no space between tokens).
     */
    static String collection(List<String> data, JsonObject links) {
        return "{\"data\":[" + String.join(",", data) + "],\"links\":" + links.encode() + "}";
    }

    /** A collection's {@code links}: {@code next}/{@code prev} null or absent on the last page, as {@code style} says. */
    static JsonObject collectionLinks(String self, String next, SimulatedAccount.LastPageLinks style) {
        JsonObject links = new JsonObject().put("self", self);
        if (next != null) {
            links.put("next", next);
        } else if (style == SimulatedAccount.LastPageLinks.NULL) {
            links.put("next", null);
        }
        if (style == SimulatedAccount.LastPageLinks.NULL) {
            links.put("prev", null);
        }
        return links;
    }

    static JsonObject single(JsonObject resource, String self) {
        return new JsonObject().put("data", resource).put("links", new JsonObject().put("self", self));
    }

    static JsonObject error(int status, String code, String title, String detail, String parameter) {
        JsonObject error = new JsonObject()
                .put("id", UUID.randomUUID().toString())
                .put("status", status)
                .put("code", code)
                .put("title", title)
                .put("detail", detail)
                .put("source", parameter == null ? new JsonObject().put("pointer", "/data/")
                        : new JsonObject().put("parameter", parameter))
                .put("links", new JsonObject())
                .put("meta", new JsonObject());
        return new JsonObject().put("errors", new JsonArray().add(error));
    }

    /**
     * Each channel's consent: {@code consent_timestamp} when the word was last given (none while never
     * subscribed), {@code last_updated} when the channel's record last changed.
     */
    private static JsonObject subscriptions(StoredProfile stored) {
        SimProfile person = stored.person();
        String smsAt = time(stored.smsConsentAt());
        boolean sms = SimProfile.SUBSCRIBED.equals(person.smsConsent()) && person.phone() != null;
        JsonObject smsMarketing = new JsonObject()
                .put("can_receive_sms_marketing", sms)
                .put("consent", person.smsConsent())
                .put("consent_timestamp", SimProfile.NEVER_SUBSCRIBED.equals(person.smsConsent()) ? null : smsAt)
                .put("method", sms ? "FORM" : null)
                .put("method_detail", sms ? "signup form" : "")
                .put("last_updated", smsAt);
        String emailAt = time(stored.emailConsentAt());
        boolean email = !SimProfile.UNSUBSCRIBED.equals(person.emailConsent()) && person.email() != null;
        JsonObject emailMarketing = new JsonObject()
                .put("can_receive_email_marketing", email)
                .put("consent", person.emailConsent())
                .put("consent_timestamp", SimProfile.NEVER_SUBSCRIBED.equals(person.emailConsent()) ? null : emailAt)
                .put("last_updated", emailAt)
                .put("method", null)
                .put("method_detail", "")
                .put("custom_method_detail", null)
                .put("double_optin", null)
                .put("suppression", new JsonArray())
                .put("list_suppressions", new JsonArray());
        return new JsonObject()
                .put("email", new JsonObject().put("marketing", emailMarketing))
                .put("sms", new JsonObject().put("marketing", smsMarketing));
    }

    private static JsonObject resource(String type, String id, JsonObject attributes, String self) {
        return new JsonObject().put("type", type).put("id", id).put("attributes", attributes)
                .put("links", new JsonObject().put("self", self));
    }

    private static JsonObject relationshipLinks(String self, String name) {
        return new JsonObject().put("links", new JsonObject()
                .put("self", self + "relationships/" + name + "/")
                .put("related", self + name + "/"));
    }
}
