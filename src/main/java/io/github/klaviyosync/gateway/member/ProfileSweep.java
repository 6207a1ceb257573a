package io.github.klaviyosync.gateway.member;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * Where an account's profile sweep stands: Klaviyo's {@code updated} of the newest profile it
 * committed, the page link of a sweep in flight, when it is due, when it last completed, and which
 * claim holds it. An account without a row has never been swept: it is due now, from its creation.
 */
@Entity
@Table(name = "profile_sweep")
public class ProfileSweep extends PanacheEntityBase {

    @Id
    public UUID accountId;

    @Column(nullable = false)
    public Instant updatedCursor;

    public String pageCursor;

    @Column(nullable = false)
    public Instant nextSweepAt;

    /** Start of the last complete sweep: every change Klaviyo made to a stored person before it is applied. */
    public Instant lastCheckedAt;

    public String leaseOwner;

    public Instant leaseUntil;

    public UUID leaseToken;
}
