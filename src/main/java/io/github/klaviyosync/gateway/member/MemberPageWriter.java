package io.github.klaviyosync.gateway.member;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.klaviyosync.gateway.db.Rows;
import io.github.klaviyosync.gateway.list.ListLease;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Commits one fetched page of members as one statement, hence one transaction: the subscribers
 * upserted (last writer wins by Klaviyo's {@code updated}, consent by its own timestamp), their
 * memberships upserted (a removed member who is listed again is back), the list's member count,
 * cursors and lease advanced, and the run's progress counted. A crash before it leaves nothing of
 * the page; after it, the sync resumes with the next page.
 */
@ApplicationScoped
public class MemberPageWriter {

    /*
     * The page travels as one JSON parameter, so the statement text is fixed whatever the page size.
     * Data-modifying CTEs see the table as it was before the statement, which is how `rejoined`
     * finds the memberships that were removed until now.
     */
    private static final String COMMIT_PAGE = """
            with v as (
                select * from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as x(
                    pid text, email text, phone text, raw text, invalid boolean, first text, last text,
                    sms text, "smsAt" timestamptz, em text, "emAt" timestamptz, upd timestamptz, joined timestamptz)
            ), s as (
                insert into subscriber as t (account_id, klaviyo_profile_id, email, phone_e164, phone_raw, phone_invalid,
                                             first_name, last_name, sms_consent, sms_consent_at,
                                             email_consent, email_consent_at, klaviyo_updated)
                select :account, pid, email, phone, raw, coalesce(invalid, false), first, last,
                       sms, "smsAt", em, "emAt", upd
                  from v
                on conflict (account_id, klaviyo_profile_id) do update set
                    email         = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.email else t.email end,
                    phone_e164    = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.phone_e164 else t.phone_e164 end,
                    phone_raw     = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.phone_raw else t.phone_raw end,
                    phone_invalid = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.phone_invalid else t.phone_invalid end,
                    first_name    = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.first_name else t.first_name end,
                    last_name     = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                         then excluded.last_name else t.last_name end,
                    klaviyo_updated = greatest(t.klaviyo_updated, excluded.klaviyo_updated),
                    sms_consent    = case when t.sms_consent_at is null or excluded.sms_consent_at >= t.sms_consent_at
                                          then coalesce(excluded.sms_consent, t.sms_consent) else t.sms_consent end,
                    sms_consent_at = greatest(t.sms_consent_at, excluded.sms_consent_at),
                    email_consent    = case when t.email_consent_at is null or excluded.email_consent_at >= t.email_consent_at
                                            then coalesce(excluded.email_consent, t.email_consent) else t.email_consent end,
                    email_consent_at = greatest(t.email_consent_at, excluded.email_consent_at),
                    updated_at = now()
                returning t.id, t.klaviyo_profile_id
            ), rejoining as (
                select m.subscriber_id
                  from list_membership m
                  join s on s.id = m.subscriber_id
                 where m.list_id = :list and m.removed_at is not null
            ), m as (
                insert into list_membership as lm (list_id, subscriber_id, account_id, joined_at, source)
                select :list, s.id, :account, v.joined, 'poll'
                  from s join v on v.pid = s.klaviyo_profile_id
                on conflict (list_id, subscriber_id) do update set
                    joined_at = coalesce(excluded.joined_at, lm.joined_at),
                    removed_at = null,
                    updated_at = now()
                returning (lm.xmax = 0) as inserted, lm.subscriber_id
            ), counts as (
                select count(*) filter (where inserted) as added,
                       count(*) filter (where not inserted
                                        and subscriber_id in (select subscriber_id from rejoining)) as rejoined
                  from m
            ), l as (
                update klaviyo_list
                   set member_count = member_count + (select added + rejoined from counts),
                       member_cursor = greatest(member_cursor, cast(:cursor as timestamptz)),
                       page_cursor = cast(:next as text),
                       lease_until = now() + make_interval(secs => :leaseSeconds),
                       updated_at = now()
                 where id = :list and lease_owner = :owner
                returning id
            ), r as (
                update sync_run
                   set pages = pages + 1,
                       profiles_seen = profiles_seen + :seen,
                       profiles_added = profiles_added + (select added + rejoined from counts)
                 where id = :run
            )
            select (select added + rejoined from counts), (select count(*) from l)
            """;

    private final ObjectMapper json;

    MemberPageWriter(ObjectMapper json) {
        this.json = json;
    }

    /** What one committed page did. */
    public record Committed(int seen, int added) {
    }

    /**
     * Commits the page and checkpoints {@code nextUrl} (null on the last page) as the list's page
     * cursor. Fails with {@link LeaseLostException} when the lease is no longer this sync's.
     */
    @WithTransaction
    public Uni<Committed> commit(ListLease lease, long runId, List<MemberRow> rows, String nextUrl, Duration leaseLength) {
        Instant cursor = rows.stream()
                .map(MemberRow::joined)
                .filter(joined -> joined != null)
                .max(Instant::compareTo)
                .orElse(null);
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(COMMIT_PAGE, Object[].class)
                        .setParameter("rows", toJson(rows))
                        .setParameter("account", lease.accountId())
                        .setParameter("list", lease.listId())
                        .setParameter("cursor", cursor)
                        .setParameter("next", nextUrl)
                        .setParameter("leaseSeconds", leaseLength.toMillis() / 1000.0)
                        .setParameter("owner", lease.owner())
                        .setParameter("seen", rows.size())
                        .setParameter("run", runId)
                        .getSingleResult())
                .map(row -> {
                    if (Rows.longValue(row[1]) == 0) {
                        throw new LeaseLostException(lease);
                    }
                    return new Committed(rows.size(), Rows.intValue(row[0]));
                });
    }

    private String toJson(List<MemberRow> rows) {
        try {
            return json.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a member page could not be serialised", e);
        }
    }
}
