-- The change feed's outbox (member package): one row per join, leave, consent or contact change,
-- written in the statement that makes the change, by statement-level triggers on the two tables the
-- member package writes. Whatever statement writes them (a page of a sync, a removal check, a batch
-- of pushes, a consent event, a profile fetched for an event, a future sweep) records its changes
-- without a line of its own, and a write that changes nothing records nothing: the triggers compare
-- each row before and after the statement (transition tables, which list_membership's member_count
-- triggers already capture, so recording costs those statements no second copy of their rows).
--
-- A row holds ids only (no personal data); the member's state is joined from the current rows when
-- the feed is read. The feed is read in (txid, id) order and only below the oldest transaction still
-- in flight (pg_snapshot_xmin), so a change that commits after a reader passed its position is never
-- skipped: identity values and txids are handed out before commit and commit out of order.
create table member_change (
    id            bigint generated always as identity,
    txid          xid8 not null default pg_current_xact_id(), -- the writing transaction, the feed's order
    account_id    uuid not null,
    list_id       bigint,                      -- klaviyo_list.id; null for a change of the person alone
    subscriber_id bigint not null,
    type          text not null check (type in ('joined', 'left', 'consent', 'contact')),
    at            timestamptz not null default now()
);
-- No foreign keys: they would cost the hot path a look-up per row, and a change of a purged account
-- is skipped by the reader (no subscriber row) until retention deletes it.

-- The feed in commit order, all accounts or one.
create index member_change_feed on member_change (txid, id);
create index member_change_account on member_change (account_id, txid, id);

-- The newest position retention deleted: a reader whose cursor is older missed changes (410).
create table member_change_horizon (
    single boolean primary key default true check (single),
    txid   xid8 not null,
    id     bigint not null
);
insert into member_change_horizon (txid, id) values ('0', 0);

-- A membership inserted on the list (not already removed): joined.
create function member_change_membership_inserted() returns trigger language plpgsql as $$
begin
    insert into member_change (account_id, list_id, subscriber_id, type)
    select account_id, list_id, subscriber_id, 'joined' from added where removed_at is null;
    if found then
        perform pg_notify('member_change', '');
    end if;
    return null;
end $$;

-- A membership back on the list (a rejoin) or off it (removed by a full sync).
create function member_change_membership_updated() returns trigger language plpgsql as $$
begin
    insert into member_change (account_id, list_id, subscriber_id, type)
    select n.account_id, n.list_id, n.subscriber_id, case when n.removed_at is null then 'joined' else 'left' end
      from before_update o
      join after_update n on n.list_id = o.list_id and n.subscriber_id = o.subscriber_id
     where (o.removed_at is null) <> (n.removed_at is null);
    if found then
        perform pg_notify('member_change', '');
    end if;
    return null;
end $$;

-- A stored person whose consent word (SMS or email) or contact (email, phone) changed. A new person
-- is no change of their own: their first membership is recorded as joined.
create function member_change_person_updated() returns trigger language plpgsql as $$
begin
    insert into member_change (account_id, subscriber_id, type)
    select n.account_id, n.id, c.type
      from before_update o
      join after_update n on n.id = o.id
     cross join lateral (values
           ('consent', o.sms_consent is distinct from n.sms_consent or o.email_consent is distinct from n.email_consent),
           ('contact', o.email is distinct from n.email or o.phone_e164 is distinct from n.phone_e164
                       or o.phone_raw is distinct from n.phone_raw)) as c(type, changed)
     where c.changed;
    if found then
        perform pg_notify('member_change', '');
    end if;
    return null;
end $$;

create trigger list_membership_change_insert after insert on list_membership
    referencing new table as added
    for each statement execute function member_change_membership_inserted();

create trigger list_membership_change_update after update on list_membership
    referencing old table as before_update new table as after_update
    for each statement execute function member_change_membership_updated();

create trigger subscriber_change_update after update on subscriber
    referencing old table as before_update new table as after_update
    for each statement execute function member_change_person_updated();
