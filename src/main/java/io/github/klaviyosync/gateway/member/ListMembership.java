package io.github.klaviyosync.gateway.member;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A subscriber's place on a list: when it joined, which path brought it, and when it left. */
@Entity
@Table(name = "list_membership")
@IdClass(ListMembership.Key.class)
public class ListMembership extends PanacheEntityBase {

    @Id
    public Long listId;

    @Id
    public Long subscriberId;

    @Column(nullable = false)
    public UUID accountId;

    /** Klaviyo's {@code joined_group_at}: when the profile most recently joined the list. */
    public Instant joinedAt;

    @Column(nullable = false)
    public MembershipSource source;

    /** Null while the subscriber is on the list. */
    public Instant removedAt;

    @Column(nullable = false)
    public Instant firstSeenAt;

    @Column(nullable = false)
    public Instant updatedAt;

    /** The composite key: one membership per list and subscriber. */
    public static class Key implements Serializable {
        public Long listId;
        public Long subscriberId;

        public Key() {
        }

        public Key(Long listId, Long subscriberId) {
            this.listId = listId;
            this.subscriberId = subscriberId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(listId, key.listId)
                    && Objects.equals(subscriberId, key.subscriberId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(listId, subscriberId);
        }
    }
}
