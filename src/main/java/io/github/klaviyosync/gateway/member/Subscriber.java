package io.github.klaviyosync.gateway.member;

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
 * A Klaviyo profile of one account, with its phone (E.164 when it parses, always as given) and its
 * SMS and email marketing consent. Rows are written last-writer-wins by Klaviyo's {@code updated}.
 */
@Entity
@Table(name = "subscriber")
public class Subscriber extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public UUID accountId;

    @Column(nullable = false)
    public String klaviyoProfileId;

    public String email;

    @Column(name = "phone_e164")
    public String phoneE164;

    public String phoneRaw;

    /** A phone was given but is not a number libphonenumber can read; kept raw, never invented. */
    @Column(nullable = false)
    public boolean phoneInvalid;

    public String firstName;

    public String lastName;

    public Consent smsConsent;

    public Instant smsConsentAt;

    public Consent emailConsent;

    public Instant emailConsentAt;

    public Instant klaviyoUpdated;

    /** Created from a flow push and not yet read from Klaviyo's API: its values are the push's. */
    @Column(nullable = false)
    public boolean pushed;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    @Override
    public String toString() {
        // No email or phone: entities end up in logs.
        return "Subscriber[" + id + ", " + klaviyoProfileId + "]";
    }
}
