package io.github.klaviyosync.gateway.list;

import io.github.klaviyosync.gateway.syncrun.SyncTrigger;
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
 * A Klaviyo list the gateway keeps in step, with its sync state: the member cursor (Klaviyo's
 * {@code joined_group_at} of the last committed member), the next-page link of a sync in flight,
 * when it is due, and which instance holds it (lease owner and expiry).
 */
@Entity
@Table(name = "klaviyo_list")
public class KlaviyoList extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public UUID accountId;

    @Column(nullable = false)
    public String klaviyoListId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public Instant discoveredAt;

    @Column(nullable = false)
    public DiscoveredVia discoveredVia;

    @Column(nullable = false)
    public ListStatus status = ListStatus.ACTIVE;

    public Instant memberCursor;

    public String pageCursor;

    @Column(nullable = false)
    public int memberCount;

    public Instant lastSyncedAt;

    @Column(nullable = false)
    public Instant nextSyncAt;

    /** Why the list is due before its interval (a manual, webhook or connect request), if it is. */
    public SyncTrigger pendingTrigger;

    /** Whether the next sync also compares every member id to find who left. */
    @Column(nullable = false)
    public boolean pendingFull;

    public Instant lastManualAt;

    public Instant lastFullSyncAt;

    public String leaseOwner;

    public Instant leaseUntil;

    /** Unique to the claim holding the list: every write of its sync is fenced by it. */
    public UUID leaseToken;

    /** The run that began the full sync in flight (its removal check stamps with it), while one is. */
    public Long fullScanRun;

    public Instant fullScanStartedAt;

    /**
     * Whether the list's account is active: a list of an account that is not (auth_failed, deleted) is
     * left out of the index of due lists, which every member-sync claim reads.
     */
    @Column(nullable = false)
    public boolean accountActive = true;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;
}
