package io.github.klaviyosync.gateway.webhook;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One stored webhook event, the inbox row the intake commits before it answers 202 and the applier
 * later applies. System events are unique per account by Klaviyo's {@code external_id}.
 */
@Entity
@Table(name = "webhook_event")
public class WebhookEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public UUID accountId;

    @Column(nullable = false)
    public WebhookKind kind;

    public String externalId;

    public String topic;

    /** The event as received: one element of a system request's {@code data}, or a flow body. */
    @Column(nullable = false)
    public String payload;

    /** The event's own time, which orders consent changes. */
    public Instant occurredAt;

    @Column(nullable = false)
    public WebhookStatus status = WebhookStatus.RECEIVED;

    @Column(nullable = false)
    public int attempts;

    @Column(nullable = false)
    public Instant nextAttemptAt;

    public String error;

    @Column(nullable = false)
    public Instant receivedAt;

    public Instant appliedAt;
}
