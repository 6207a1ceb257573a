package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.db.Rows;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.ArrayList;
import java.util.UUID;

/**
 * The {@code subscriber} table: the people of each account. A page of a member sync and a batch of
 * pushes write people together with memberships ({@link MembershipRepository}), a page of a profile
 * sweep together with the sweep's cursor ({@link #SWEEP_PAGE}); the rules by which each source's
 * values meet the stored ones are side by side in {@link PersonMerge}.
 */
@ApplicationScoped
public class SubscriberRepository implements PanacheRepository<Subscriber> {

    /** A profile fetched from Klaviyo's API, stored as a poll stores it (ON CONFLICT). */
    static final String STORE_FROM_KLAVIYO = """
            insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                         first_name, last_name, sms_consent, sms_consent_at, email_consent,
                                         email_consent_at, klaviyo_updated)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """ + PersonMerge.FROM_KLAVIYO;

    /*
     * A page of a profile sweep, one round trip: the page's people that the gateway stores take
     * Klaviyo's values by PersonMerge.FROM_SWEEP (others are skipped, never stored); the sweep's cursor,
     * page cursor and lease (profile_sweep, fenced by the claim's token and the account being active)
     * and the run's progress (sync_run) advance with them. Nothing is written when the fence does not
     * hold; `fenced` then answers 0. People are locked in profile-id order, as member pages and pushes
     * lock them, and a row is written only when a value moves. `changed` counts the people whose
     * served values (contact data, consent) changed; `before` is compared as text because a record
     * column cannot be compared with a row of the new values otherwise.
     */
    static final String SWEEP_PAGE = """
            with v as (
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[],
                                     $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::timestamptz[],
                                     $12::timestamptz[])
                    as x(klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid, first_name, last_name,
                         sms_consent, sms_consent_at, email_consent, email_consent_at, klaviyo_updated)
            ), sweep as (
                update profile_sweep
                   set updated_cursor = greatest(updated_cursor, $14::timestamptz),
                       page_cursor = $15,
                       lease_until = now() + make_interval(secs => $16)
                 where account_id = $13 and lease_token = $17
                   and exists (select 1 from account a where a.id = $13 and a.status = $18)
                returning account_id
            ), merged as (
                select t.id,
                       row(t.email, t.phone_e164, t.phone_raw, t.phone_invalid, t.first_name, t.last_name,
                           t.sms_consent, t.email_consent)::text as before,
            """ + PersonMerge.FROM_SWEEP + """
                  from subscriber t
                  join v on v.klaviyo_profile_id = t.klaviyo_profile_id
                 where t.account_id = $13
                   and exists (select 1 from sweep)
                 order by t.klaviyo_profile_id
                   for no key update of t
            ), s as (
                update subscriber t
                   set email = m.email, phone_e164 = m.phone_e164, phone_raw = m.phone_raw,
                       phone_invalid = m.phone_invalid, first_name = m.first_name, last_name = m.last_name,
                       klaviyo_updated = m.klaviyo_updated, sms_consent = m.sms_consent,
                       sms_consent_at = m.sms_consent_at, email_consent = m.email_consent,
                       email_consent_at = m.email_consent_at, pushed = m.pushed, updated_at = now()
                  from merged m
                 where t.id = m.id and t.account_id = $13
                   and (t.email, t.phone_e164, t.phone_raw, t.phone_invalid, t.first_name, t.last_name,
                        t.klaviyo_updated, t.sms_consent, t.sms_consent_at, t.email_consent, t.email_consent_at, t.pushed)
                       is distinct from
                       (m.email, m.phone_e164, m.phone_raw, m.phone_invalid, m.first_name, m.last_name,
                        m.klaviyo_updated, m.sms_consent, m.sms_consent_at, m.email_consent, m.email_consent_at, m.pushed)
                returning row(t.email, t.phone_e164, t.phone_raw, t.phone_invalid, t.first_name, t.last_name,
                              t.sms_consent, t.email_consent)::text is distinct from m.before as served_changed
            ), r as (
                update sync_run
                   set pages = pages + 1,
                       profiles_seen = profiles_seen + $19::integer,
                       profiles_changed = profiles_changed + (select count(*) from s where served_changed)
                 where id = $20 and account_id = $13 and exists (select 1 from sweep)
            )
            select (select count(*) from merged) as stored,
                   (select count(*) from s where served_changed) as changed,
                   (select count(*) from sweep) as fenced""";

    /** A consent event's change of one channel (the consent columns are the event's channel: a format, not a value). */
    /** People created from pushes that no read of Klaviyo's API has confirmed since {@code $2} (the oldest first). */
    static final String UNCONFIRMED_PUSHED = """
            select klaviyo_profile_id, email, phone_e164 from subscriber
             where account_id = $1 and pushed and created_at < $2
             order by id
             limit $3""";

    /*
     * A pushed person Klaviyo knows under another id (profiles merged: the pushed id answers nothing)
     * gives way to the survivor: their memberships move to the survivor (the survivor's own stay), and
     * the pushed person goes. The survivor was stored just before, in the same transaction.
     */
    static final String MOVE_TO_SURVIVOR = """
            with survivor as (
                select id from subscriber where account_id = $1 and klaviyo_profile_id = $3
            ), moved as (
                insert into list_membership (list_id, subscriber_id, account_id, joined_at, source)
                select m.list_id, (select id from survivor), m.account_id, m.joined_at, m.source
                  from list_membership m join subscriber g on g.id = m.subscriber_id
                 where g.account_id = $1 and g.klaviyo_profile_id = $2 and m.account_id = $1 and m.removed_at is null
                on conflict (list_id, subscriber_id) do nothing
            )
            delete from subscriber where account_id = $1 and klaviyo_profile_id = $2 and pushed""";

    static final String APPLY_CONSENT_EVENT = """
            update subscriber t set %1$s_consent = $1, %1$s_consent_at = $2, updated_at = now()
             where account_id = $3 and klaviyo_profile_id = $4 and """ + PersonMerge.CONSENT_EVENT_WINS;

    private static final String APPLY_SMS_CONSENT_EVENT = APPLY_CONSENT_EVENT.formatted("sms");
    private static final String APPLY_EMAIL_CONSENT_EVENT = APPLY_CONSENT_EVENT.formatted("email");

    /** Purge of a deleted account (a bounded batch), once its memberships are gone. */
    static final String DELETE_ACCOUNT_BATCH = """
            delete from subscriber where id in (select id from subscriber where account_id = $1 limit $2)""";

    /** The consent channels a consent event changes. */
    public enum Channel { SMS, EMAIL }

    /** Deletes up to {@code batch} of the account's people; returns how many. */
    Uni<Integer> deleteOfAccount(SqlConnection connection, UUID accountId, int batch) {
        return connection.preparedQuery(DELETE_ACCOUNT_BATCH)
                .execute(Tuple.of(accountId, batch))
                .map(rows -> rows.rowCount());
    }

    @WithSession
    public Uni<Subscriber> findByProfileId(UUID accountId, String klaviyoProfileId) {
        return find("accountId = ?1 and klaviyoProfileId = ?2", accountId, klaviyoProfileId).firstResult();
    }

    /** Stores a profile read from Klaviyo's API by {@link PersonMerge#FROM_KLAVIYO}, in the caller's transaction. */
    public Uni<Void> storeFromKlaviyo(SqlConnection connection, UUID accountId, KlaviyoPerson person) {
        Tuple parameters = Tuple.tuple()
                .addUUID(accountId)
                .addString(person.profileId())
                .addString(person.email())
                .addString(person.phone().e164())
                .addString(person.phone().raw())
                .addBoolean(person.phone().invalid())
                .addString(person.firstName())
                .addString(person.lastName())
                .addString(person.smsConsent())
                .addOffsetDateTime(Rows.timestamp(person.smsConsentAt()))
                .addString(person.emailConsent())
                .addOffsetDateTime(Rows.timestamp(person.emailConsentAt()))
                .addOffsetDateTime(Rows.timestamp(person.klaviyoUpdated()));
        return connection.preparedQuery(STORE_FROM_KLAVIYO)
                .execute(parameters)
                .replaceWithVoid();
    }

    /** What one committed page of a profile sweep did: profiles on it, of them stored, of those changed. */
    public record Swept(int seen, int stored, int changed) {
    }

    /**
     * Commits a page of a profile sweep in the caller's transaction: stored people take Klaviyo's
     * values, and the sweep's cursor (the newest {@code updated} of the page) and {@code nextUrl} (null
     * on the last page) are checkpointed with them. Fails with {@link LeaseLostException} when the
     * claim is no longer this sweep's (or the account is no longer active): nothing was written then.
     */
    Uni<Swept> commitSweptPage(SqlConnection connection, ProfileSweepLease lease, long runId, List<KlaviyoPerson> people,
            String nextUrl, Duration leaseLength) {
        Instant cursor = people.stream()
                .map(KlaviyoPerson::klaviyoUpdated)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(null);
        Tuple parameters = KlaviyoPerson.columns(people)
                .addUUID(lease.accountId())
                .addOffsetDateTime(Rows.timestamp(cursor))
                .addString(nextUrl)
                .addDouble(Rows.seconds(leaseLength))
                .addUUID(lease.token())
                .addString(AccountStatus.ACTIVE.wire())
                .addInteger(people.size())
                .addLong(runId);
        return connection.preparedQuery(SWEEP_PAGE)
                .execute(parameters)
                .map(rows -> swept(lease, people.size(), Rows.single(rows)));
    }

    private static Swept swept(ProfileSweepLease lease, int seen, Row row) {
        if (row.getLong("fenced") == 0) {
            throw new LeaseLostException(lease, "");
        }
        return new Swept(seen, row.getLong("stored").intValue(), row.getLong("changed").intValue());
    }

    /** A person created from a push: their id and the contact values pushed. */
    public record PushedPerson(String profileId, String email, String phone) {

        @Override
        public String toString() {
            return "PushedPerson[" + profileId + "]";
        }
    }

    /** Up to {@code limit} people created from pushes before {@code before} that Klaviyo's API has not confirmed yet. */
    Uni<List<PushedPerson>> unconfirmedPushed(SqlConnection connection, UUID accountId, Instant before, int limit) {
        return connection.preparedQuery(UNCONFIRMED_PUSHED)
                .execute(Tuple.of(accountId, Rows.timestamp(before), limit))
                .map(rows -> {
                    List<PushedPerson> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new PushedPerson(row.getString("klaviyo_profile_id"), row.getString("email"),
                            row.getString("phone_e164"))));
                    return found;
                });
    }

    /**
     * The pushed person {@code pushedId} is {@code survivor} in Klaviyo (merged): the survivor is stored
     * as Klaviyo gives them, the pushed person's memberships move to them and the pushed person goes.
     */
    Uni<Void> replaceWithSurvivor(SqlConnection connection, UUID accountId, String pushedId, KlaviyoPerson survivor) {
        return storeFromKlaviyo(connection, accountId, survivor)
                .chain(() -> connection.preparedQuery(MOVE_TO_SURVIVOR)
                        .execute(Tuple.of(accountId, pushedId, survivor.profileId())))
                .replaceWithVoid();
    }

    /**
     * A consent event: the channel's consent becomes {@code consent} as of {@code at}, unless the
     * stored state holds since later. In the caller's transaction; returns whether it changed.
     */
    public Uni<Boolean> applyConsentEvent(SqlConnection connection, UUID accountId, String profileId, Channel channel,
            Consent consent, Instant at) {
        String statement = channel == Channel.SMS ? APPLY_SMS_CONSENT_EVENT : APPLY_EMAIL_CONSENT_EVENT;
        return connection.preparedQuery(statement)
                .execute(Tuple.of(consent.wire(), Rows.timestamp(at), accountId, profileId))
                .map(rows -> rows.rowCount() > 0);
    }
}
