-- The gateway's whole data model. Every row belongs to one connected Klaviyo account.

create table account (
    id                    uuid primary key,
    name                  text not null,
    klaviyo_account_id    text,
    api_key_enc           bytea not null,          -- AES-GCM (nonce || ciphertext), account id as AAD
    webhook_secret_enc    bytea,                   -- same; null: system webhooks are refused
    flow_token_hash       text,                    -- SHA-256 hex of the flow webhook token
    status                text not null default 'active'
                          check (status in ('active', 'auth_failed', 'deleted')),
    status_reason         text,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    last_discovery_at     timestamptz,
    next_discovery_at     timestamptz,             -- discovery is claimed once across instances
    discovery_trigger     text check (discovery_trigger in ('schedule', 'manual', 'connect')),
    discovery_lease_owner text,
    discovery_lease_until timestamptz
);

create index account_discovery_due on account (next_discovery_at) where status = 'active';

create table klaviyo_list (
    id                 bigint generated always as identity primary key,
    account_id         uuid not null references account (id) on delete cascade,
    klaviyo_list_id    text not null,
    name               text not null,
    discovered_at      timestamptz not null default now(),
    discovered_via     text not null check (discovered_via in ('discovery', 'webhook')),
    status             text not null default 'active' check (status in ('active', 'deleted')),
    member_cursor      timestamptz,                -- joined_group_at of the last committed member
    page_cursor        text,                       -- Klaviyo's next-page link of the sync in flight
    member_count       integer not null default 0, -- members on the list now (removed excluded)
    last_synced_at     timestamptz,                -- end of the last successful member sync
    next_sync_at       timestamptz not null default now(),
    pending_trigger    text check (pending_trigger in ('schedule', 'webhook', 'manual', 'connect')),
    pending_full       boolean not null default false, -- a removal check is owed with the next sync
    last_manual_at     timestamptz,
    last_full_sync_at  timestamptz,
    lease_owner        text,
    lease_until        timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (account_id, klaviyo_list_id)
);

-- Claiming due lists: active, due, lease free or expired (the expiry is checked on these rows).
create index klaviyo_list_due on klaviyo_list (next_sync_at) where status = 'active';

create table subscriber (
    id                 bigint generated always as identity primary key,
    account_id         uuid not null references account (id) on delete cascade,
    klaviyo_profile_id text not null,
    email              text,
    phone_e164         text,                       -- null when there is none or it does not parse
    phone_raw          text,                       -- as Klaviyo gave it
    phone_invalid      boolean not null default false, -- phone_raw is present but not a number
    first_name         text,
    last_name          text,
    sms_consent        text check (sms_consent in ('SUBSCRIBED', 'UNSUBSCRIBED', 'NEVER_SUBSCRIBED')),
    sms_consent_at     timestamptz,
    email_consent      text check (email_consent in ('SUBSCRIBED', 'UNSUBSCRIBED', 'NEVER_SUBSCRIBED')),
    email_consent_at   timestamptz,
    klaviyo_updated    timestamptz,                -- last writer wins by this
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (account_id, klaviyo_profile_id)
);

create table list_membership (
    list_id            bigint not null references klaviyo_list (id) on delete cascade,
    subscriber_id      bigint not null references subscriber (id) on delete cascade,
    account_id         uuid not null references account (id) on delete cascade,
    joined_at          timestamptz,                -- Klaviyo's joined_group_at
    source             text not null check (source in ('poll', 'webhook')),
    removed_at         timestamptz,
    seen_in_run        bigint,                     -- the last full sync whose member ids included it
    first_seen_at      timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    primary key (list_id, subscriber_id)
);

-- Paging a list's members by an opaque (joined_at, subscriber_id) cursor.
create index list_membership_page on list_membership (list_id, joined_at, subscriber_id);
create index list_membership_subscriber on list_membership (subscriber_id);
-- Members an account gained per interval (the status API's members-added chart).
create index list_membership_first_seen on list_membership (account_id, first_seen_at);

create table sync_run (
    id                 bigint generated always as identity primary key,
    account_id         uuid not null references account (id) on delete cascade,
    list_id            bigint references klaviyo_list (id) on delete cascade, -- null for discovery
    kind               text not null check (kind in ('discovery', 'members')),
    trigger            text not null check (trigger in ('schedule', 'webhook', 'manual', 'connect')),
    full_sync          boolean not null default false,
    status             text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
    owner              text,
    started_at         timestamptz not null default now(),
    finished_at        timestamptz,
    pages              integer not null default 0,
    profiles_seen      integer not null default 0,
    profiles_added     integer not null default 0,
    profiles_removed   integer not null default 0,
    lists_seen         integer not null default 0, -- discovery only
    lists_added        integer not null default 0, -- discovery only
    error              text
);

create index sync_run_account_recent on sync_run (account_id, started_at desc, id desc);
create index sync_run_list_recent on sync_run (list_id, started_at desc, id desc);
create index sync_run_running on sync_run (list_id) where status = 'running';

create table webhook_event (
    id                 bigint generated always as identity primary key,
    account_id         uuid not null references account (id) on delete cascade,
    kind               text not null check (kind in ('system', 'flow')),
    external_id        text,                       -- Klaviyo's id; flow pushes carry none
    topic              text,
    payload            text not null,              -- the event as received (one element of a system request)
    occurred_at        timestamptz,                -- the event's own time, for ordering consent
    status             text not null default 'received' check (status in ('received', 'applied', 'failed')),
    attempts           integer not null default 0,
    next_attempt_at    timestamptz not null default now(),
    error              text,
    claimed_by         text,                       -- the apply pass holding the event, until claimed_until
    claimed_until      timestamptz,
    received_at        timestamptz not null default now(),
    applied_at         timestamptz,
    unique (account_id, external_id)               -- duplicates of one system event are one row
);

-- The applier takes received events per account in arrival order.
create index webhook_event_pending on webhook_event (next_attempt_at, account_id, id) where status = 'received';
create index webhook_event_by_status on webhook_event (account_id, status, id desc);
-- Accounts whose received events a pass holds now (a claim skips them): a handful of rows.
create index webhook_event_claimed on webhook_event (account_id) where status = 'received' and claimed_until is not null;
