package io.github.klaviyosync.gateway.webhook;

import java.util.UUID;

/** A stored event an apply pass holds: its id and account (events of one account are applied in id order). */
public record ClaimedEvent(long id, UUID accountId, WebhookKind kind) {
}
