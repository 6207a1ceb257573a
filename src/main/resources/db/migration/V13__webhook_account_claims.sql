-- An apply pass claims accounts, not events. A claim wrote each claimed event again (claimed_by and
-- claimed_until, columns of a partial index, so never a HOT update: a new version of the row and of
-- every index entry), and the account counts' update trigger copied those rows, payloads and all,
-- into its transition tables to count no status change; then the mark wrote each event a third time.
-- Since one account's events were never split between two passes anyway (a claim skipped accounts
-- with a live claim), the claim is now one row per account and pass: an event is written twice
-- (stored, then applied or failed), and a claim writes nothing to webhook_event.
-- A replica of the previous version still running fails its passes (the columns are gone) until it
-- is replaced; the events wait, received, for the new version's passes.
create table webhook_claim (
    account_id    uuid primary key references account (id) on delete cascade,
    claimed_by    text not null,                 -- the apply pass holding the account's due events
    claimed_until timestamptz not null           -- after this, another pass may take them over
);

drop index webhook_event_claimed;
alter table webhook_event drop column claimed_by, drop column claimed_until;
