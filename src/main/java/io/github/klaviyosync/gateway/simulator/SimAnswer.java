package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer the simulator is about to send. */
record SimAnswer(int status, String contentType, Map<String, String> headers, String body) {

    static final String JSON_API = "application/vnd.api+json";

    /** The page Cloudflare shows when it challenges a client instead of passing it to Klaviyo. */
    private static final String CLOUDFLARE_CHALLENGE = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>"
            + "</head><body><h1>Checking your browser before accessing a.klaviyo.com</h1>"
            + "<p>Cloudflare Ray ID: 7d5b1f0e9c2a4b3f</p></body></html>";

    static SimAnswer json(int status, JsonObject body) {
        return json(status, body.encode());
    }

    /** A JSON answer already written out. */
    static SimAnswer json(int status, String body) {
        return new SimAnswer(status, JSON_API, new LinkedHashMap<>(), body);
    }

    static SimAnswer error(SimulatorRequestException refused) {
        return json(refused.status(), JsonApiWriter.error(refused.status(), refused.code(), refused.title(),
                refused.getMessage(), refused.parameter()));
    }

    static SimAnswer error(int status, String code, String title, String detail) {
        return json(status, JsonApiWriter.error(status, code, title, detail, null));
    }

    static SimAnswer cloudflareChallenge() {
        return new SimAnswer(403, "text/html; charset=UTF-8", new LinkedHashMap<>(), CLOUDFLARE_CHALLENGE);
    }

    boolean isJson() {
        return JSON_API.equals(contentType);
    }

    SimAnswer withHeaders(Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(extra);
        return new SimAnswer(status, contentType, all, body);
    }
}
