package io.github.klaviyosync.gateway.syncrun;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One discovery, member sync or profile sweep, as it went: pages, profiles seen, added or changed, and how it ended. */
@Entity
@Table(name = "sync_run")
public class SyncRun extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public UUID accountId;

    /** The gateway's list row; null for discovery and profile sweeps. */
    public Long listId;

    @Column(nullable = false)
    public SyncKind kind;

    @Column(nullable = false)
    public SyncTrigger trigger;

    /** Whether this run also compared every member id to mark who left. */
    @Column(name = "full_sync", nullable = false)
    public boolean fullSync;

    @Column(nullable = false)
    public SyncStatus status = SyncStatus.RUNNING;

    /** The instance that ran it. */
    public String owner;

    @Column(nullable = false)
    public Instant startedAt;

    public Instant finishedAt;

    @Column(nullable = false)
    public int pages;

    @Column(nullable = false)
    public int profilesSeen;

    @Column(nullable = false)
    public int profilesAdded;

    @Column(nullable = false)
    public int profilesRemoved;

    /** A long backfill: the list's size as Klaviyo gave it (its ETA's pages left); null otherwise. */
    public Integer expectedProfiles;

    /** Profile sweep: stored people whose served values (contact data, consent) it changed. */
    @Column(nullable = false)
    public int profilesChanged;

    /** Discovery: lists Klaviyo listed. */
    @Column(nullable = false)
    public int listsSeen;

    /** Discovery: lists the gateway did not know yet. */
    @Column(nullable = false)
    public int listsAdded;

    public String error;
}
