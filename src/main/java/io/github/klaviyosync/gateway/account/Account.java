package io.github.klaviyosync.gateway.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A connected Klaviyo account. Its API key and webhook secret are stored sealed by
 * {@link io.github.klaviyosync.gateway.crypto.SecretBox} (the id and the field as context), its flow token only as
 * a hash; none of them ever leaves this entity in plaintext except for a Klaviyo call.
 */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String klaviyoAccountId;

    @Column(name = "api_key_enc", nullable = false)
    public byte[] apiKeySealed;

    @Column(name = "webhook_secret_enc")
    public byte[] webhookSecretSealed;

    public String flowTokenHash;

    @Column(nullable = false)
    public AccountStatus status = AccountStatus.ACTIVE;

    /** Why the account is not active, in words safe to show (never a secret). */
    public String statusReason;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    /** When a purge was asked for: the account is gone for the API, and its rows are being deleted. */
    public Instant purgeRequestedAt;

    @Override
    public String toString() {
        // Deliberately without the sealed values or the token hash.
        return "Account[" + id + ", " + status + "]";
    }
}
