-- Storage that does not grow forever, and a status API that does not scan it.

-- 1. Webhook retention: the clean-up deletes events received before a cutoff (applied ones after
--    GATEWAY_WEBHOOK_RETENTION, failed ones after GATEWAY_WEBHOOK_FAILED_RETENTION). received_at never
--    changes, so this index costs an append per insert and nothing on the apply path.
create index webhook_event_received on webhook_event (received_at);

-- 2. Purge: DELETE /api/accounts/{id}?purge=true marks the account (deleted, purge requested) and
--    answers at once; a background job deletes its rows a bounded batch per transaction, memberships
--    before people and lists, and the account row last. Until then the API treats it as gone (404).
alter table account add column purge_requested_at timestamptz;

-- 3. Counts for GET /api/status, kept as rows change instead of counted by full scans. Triggers
--    append change rows to account_count; appending never waits for another transaction, so two
--    writers of one account never queue on a counter row (an UPDATE of one would, and a push batch
--    locking lists after it could deadlock with a page commit). The application folds the change
--    rows into one row per account and item every few seconds; a count is the sum of an account's
--    rows. People: a statement trigger (transition tables, like member_count in V2), one row per page
--    commit or push batch. Webhook events: inserted one per statement by the inbox, so a row trigger
--    (a statement trigger with a transition table halved the inbox's insert rate in pgbench; a row
--    trigger costs about one more row); status changes (an apply batch is one statement) and deletes
--    by statement triggers. Memberships need no row here: they are the sum of the lists'
--    member_count. No foreign key: the deletes that cascade from an account append rows for an
--    account that is going, and the folding drops rows of accounts that are gone.
create table account_count (
    account_id uuid   not null,
    item       text   not null check (item in ('subscribers', 'events_received', 'events_applied', 'events_failed')),
    delta      bigint not null
);

create function subscriber_counted_insert() returns trigger language plpgsql as $$
begin
    insert into account_count (account_id, item, delta)
    select account_id, 'subscribers', count(*) from added group by account_id;
    return null;
end $$;

create function subscriber_counted_delete() returns trigger language plpgsql as $$
begin
    insert into account_count (account_id, item, delta)
    select account_id, 'subscribers', -count(*) from gone group by account_id;
    return null;
end $$;

create function webhook_event_counted_insert() returns trigger language plpgsql as $$
begin
    insert into account_count (account_id, item, delta) values (new.account_id, 'events_' || new.status, 1);
    return null;
end $$;

-- Claims and releases change no status: such statements append nothing.
create function webhook_event_counted_update() returns trigger language plpgsql as $$
begin
    insert into account_count (account_id, item, delta)
    select account_id, item, sum(delta)
      from (select o.account_id, 'events_' || o.status as item, -1 as delta
              from before_update o join after_update n on n.id = o.id
             where n.status <> o.status
            union all
            select n.account_id, 'events_' || n.status, 1
              from before_update o join after_update n on n.id = o.id
             where n.status <> o.status) changed
     group by account_id, item
    having sum(delta) <> 0;
    return null;
end $$;

create function webhook_event_counted_delete() returns trigger language plpgsql as $$
begin
    insert into account_count (account_id, item, delta)
    select account_id, 'events_' || status, -count(*) from gone group by account_id, status;
    return null;
end $$;

create trigger subscriber_count_insert after insert on subscriber
    referencing new table as added
    for each statement execute function subscriber_counted_insert();

create trigger subscriber_count_delete after delete on subscriber
    referencing old table as gone
    for each statement execute function subscriber_counted_delete();

create trigger webhook_event_count_insert after insert on webhook_event
    for each row execute function webhook_event_counted_insert();

create trigger webhook_event_count_update after update on webhook_event
    referencing old table as before_update new table as after_update
    for each statement execute function webhook_event_counted_update();

create trigger webhook_event_count_delete after delete on webhook_event
    referencing old table as gone
    for each statement execute function webhook_event_counted_delete();

-- Start from the truth. Creating the triggers locked both tables against writes until this migration
-- commits, so no row is counted twice or missed.
insert into account_count (account_id, item, delta)
select account_id, 'subscribers', count(*) from subscriber group by account_id;

insert into account_count (account_id, item, delta)
select account_id, 'events_' || status, count(*) from webhook_event group by account_id, status;
