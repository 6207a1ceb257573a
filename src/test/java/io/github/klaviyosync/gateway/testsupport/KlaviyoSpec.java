package io.github.klaviyosync.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The extract of Klaviyo's OpenAPI spec in {@code src/test/resources/klaviyo} (see its README for
 * source and licence): operations by operationId, and {@code $ref} resolution.
 */
public final class KlaviyoSpec {

    private static final String RESOURCE = "/klaviyo/klaviyo-operations.json";

    private final JsonNode root;
    private final Map<String, JsonNode> operations = new HashMap<>();

    private KlaviyoSpec(JsonNode root) {
        this.root = root;
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<JsonNode> methods = path.getValue().elements(); methods.hasNext(); ) {
                JsonNode operation = methods.next();
                operations.put(operation.path("operationId").asText(), operation);
            }
        }
    }

    public static KlaviyoSpec load() {
        try (InputStream in = KlaviyoSpec.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return new KlaviyoSpec(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operation, or null when the extract does not hold it. */
    public JsonNode operation(String operationId) {
        return operations.get(operationId);
    }

    /** The node a {@code $ref} names, followed until it is not a reference any more. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current != null && current.has("$ref")) {
            String ref = current.get("$ref").asText();
            current = root.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalStateException("unresolvable " + ref);
            }
        }
        return current;
    }

    /** The JSON schema of an operation's answer with this status, or null when none is declared. */
    public JsonNode responseSchema(String operationId, int status) {
        JsonNode responses = operation(operationId).path("responses");
        JsonNode response = responses.get(Integer.toString(status));
        if (response == null) {
            response = responses.get((status / 100) + "XX");
        }
        if (response == null) {
            return null;
        }
        JsonNode schema = resolve(response).path("content").path("application/vnd.api+json").path("schema");
        return schema.isMissingNode() ? null : schema;
    }
}
