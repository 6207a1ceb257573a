package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * When an account's lists are discovered next, why it is due before the cron (a connect or a
 * "discover now"), when they were last discovered, when its lists were last and are next checked
 * for changes, and which instance holds the discovery or check. An account without a row has never
 * been discovered: it is due now.
 */
@Entity
@Table(name = "list_discovery")
public class DiscoveryState extends PanacheEntityBase {

    @Id
    public UUID accountId;

    @Column(nullable = false)
    public Instant nextDiscoveryAt;

    public SyncTrigger trigger;

    public Instant lastDiscoveryAt;

    /** Start of the last list check or discovery that succeeded; lists updated before it are known. */
    public Instant lastListCheckAt;

    /** When the lists are checked next; null until the first discovery. */
    public Instant nextListCheckAt;

    /** Why the last list check failed, in words safe to show; null once one succeeds. */
    public String listCheckError;

    public String leaseOwner;

    public Instant leaseUntil;
}
