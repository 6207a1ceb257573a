-- Each account's Klaviyo rate budget, shared by every instance (quota/QuotaRepository owns the table).
-- One row per budget (the client's account key: the account's id, or a key check's) and Klaviyo
-- rate tier. Windows are fixed, aligned to multiples of their length on the database's clock (which
-- every instance reads), and held as epoch milliseconds. An instance leases a small slice of the
-- current window's budget (what it needs for a few seconds) and gives back what it did not spend
-- with its next lease; `granted` is what the window has leased, all instances together, less what
-- came back. A lease never draws more than the tier's share (`budget`, or `ceiling` when Klaviyo
-- said less is left), nor further ahead of an even pace through the window than its priority may.
create table klaviyo_quota (
    budget_key            text not null,
    tier                  text not null check (tier in ('xs', 's', 'l')),
    budget                integer not null,          -- the share of the tier's steady limit, per window (as last leased)
    window_start_ms       bigint not null default 0, -- the current steady window
    granted               integer not null default 0,
    ceiling               integer,                   -- the window's budget as Klaviyo lowered it (headers, 429); null: the share
    burst_start_ms        bigint not null default 0, -- the current burst window
    burst_granted         integer not null default 0,
    last_window_start_ms  bigint,                    -- the window before, and what it leased, for the status API
    last_granted          integer not null default 0,
    paused_until_ms       bigint,                    -- a 429 (or nothing left) holds every instance until then
    throttled             bigint not null default 0, -- 429s answered to any instance
    throttled_at          timestamptz,
    updated_at            timestamptz not null default now(),
    primary key (budget_key, tier)
);

create index klaviyo_quota_idle on klaviyo_quota (updated_at);

-- A backfill asks Klaviyo for its list's size once it is long enough to need an ETA (status API).
alter table sync_run add column expected_profiles integer;
