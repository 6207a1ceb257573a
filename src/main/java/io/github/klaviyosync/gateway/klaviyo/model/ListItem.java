package io.github.klaviyosync.gateway.klaviyo.model;

import java.time.Instant;

/** A Klaviyo list as {@code GET /api/lists} describes it. */
public record ListItem(String id, String name, Instant created, Instant updated) {
}
