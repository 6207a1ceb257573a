-- Freshness: every stored person's consent and contact data follow Klaviyo within one member
-- interval (a profile sweep per account), and lists created or renamed in Klaviyo are known within
-- minutes (a list check per account).

-- 1. The profile sweep (member package): where each account's walk of Klaviyo's profiles changed
--    since a time (GET /api/profiles, filter greater-than(updated,...), sort=updated) stands, when it
--    is due and which instance holds it. An account without a row has never been swept: the claim
--    treats it as due now and starts it at the account's creation (what was current before that,
--    the polls read). Claimed like discovery, fenced by a token that each claim draws anew.
create table profile_sweep (
    account_id      uuid primary key references account (id) on delete cascade,
    updated_cursor  timestamptz not null,          -- Klaviyo's `updated` of the newest profile committed
    page_cursor     text,                          -- Klaviyo's next-page link of the sweep in flight
    next_sweep_at   timestamptz not null default now(),
    last_checked_at timestamptz,                   -- start of the last complete sweep: every change before it is in
    lease_owner     text,
    lease_until     timestamptz,
    lease_token     uuid                           -- drawn by each claim; a page of an older claim writes nothing
);

create index profile_sweep_due on profile_sweep (next_sweep_at);

-- 2. The list check (list package), on the account's discovery schedule: lists updated in Klaviyo
--    since the last check (GET /api/lists, filter greater-than(updated,...)). A discovery counts as
--    a check; an account is checked only once it has been discovered.
alter table list_discovery
    add column last_list_check_at timestamptz,     -- start of the last list check or discovery that succeeded
    add column next_list_check_at timestamptz,     -- null until the first discovery
    add column list_check_error   text;            -- why the last list check failed; null once one succeeds

update list_discovery
   set last_list_check_at = last_discovery_at,
       next_list_check_at = now()
 where last_discovery_at is not null;

create index list_discovery_check_due on list_discovery (next_list_check_at);

-- 3. A sweep is a run of kind `profiles`; it counts the stored people whose served values it changed.
alter table sync_run
    drop constraint sync_run_kind_check,
    add constraint sync_run_kind_check check (kind in ('discovery', 'members', 'profiles')),
    add column profiles_changed integer not null default 0; -- profile sweeps only
