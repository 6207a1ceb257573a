package io.github.klaviyosync.gateway.klaviyo;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code links.next} URL split into what {@link KlaviyoApi#follow} sends: the path below the base
 * URL and the decoded query. Only URLs under the configured base URL (same scheme, host, port and
 * path prefix) are accepted, so the API key is never sent anywhere else.
 */
record NextLink(String path, Map<String, String> query) {

    /** The link split, or null when it does not point under {@code base}. */
    static NextLink under(URI base, String url) {
        URI next;
        try {
            next = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String basePath = trimSlashes(base.getRawPath());
        String path = trimSlashes(next.getRawPath());
        boolean sameOrigin = base.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()))
                && base.getHost().equalsIgnoreCase(String.valueOf(next.getHost()))
                && port(base) == port(next);
        boolean underBase = basePath.isEmpty() ? path.startsWith("api/") : path.startsWith(basePath + "/api/");
        if (!sameOrigin || !underBase || next.getRawUserInfo() != null || path.contains("..")) {
            return null;
        }
        String relative = basePath.isEmpty() ? path : path.substring(basePath.length() + 1);
        return new NextLink(relative, parseQuery(next.getRawQuery()));
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.put(decode(name), decode(value));
        }
        return query;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String trimSlashes(String path) {
        String trimmed = path == null ? "" : path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
