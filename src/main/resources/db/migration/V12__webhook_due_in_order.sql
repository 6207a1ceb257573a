-- The webhook claim (webhook/WebhookEventRepository.CLAIM) takes the oldest due events, in id order.
-- Through webhook_event_pending (next_attempt_at, account_id, id) it read every received event and
-- sorted them to keep the first hundred: a claim cost the backlog (26-32 ms at 35,000 received events,
-- so the applier fell further behind the more it had to do). This index holds the received events in
-- id order: the claim reads them until it has its batch (2.5 ms at the same backlog). It also costs
-- the inbox's insert less than the three-column index it replaces, which nothing else reads.
create index webhook_event_due on webhook_event (id) where status = 'received';
drop index webhook_event_pending;

-- Events are counted by statement, as people are: the inbox now writes a whole group commit in one
-- statement (WebhookEventRepository.INSERT_CHECKED), so one count row per account and statement
-- replaces V7's row per event (chosen when the inbox inserted one event per statement, where a
-- transition table cost more than the row it saved).
drop trigger webhook_event_count_insert on webhook_event;

create or replace function webhook_event_counted_insert() returns trigger language plpgsql as $$
begin
    insert into account_count (account_id, item, delta)
    select account_id, 'events_' || status, count(*) from added group by account_id, status;
    return null;
end $$;

create trigger webhook_event_count_insert after insert on webhook_event
    referencing new table as added
    for each statement execute function webhook_event_counted_insert();

-- System events are unique per account by Klaviyo's external_id; flow pushes carry none, yet each had
-- an entry in that unique index, written when it was stored and again at each of the two updates that
-- claim and apply it. A partial unique index keeps the rule for the events that have an id and costs
-- flow pushes nothing (the inbox's ON CONFLICT names its predicate).
alter table webhook_event drop constraint webhook_event_account_id_external_id_key;
create unique index webhook_event_external on webhook_event (account_id, external_id) where external_id is not null;
