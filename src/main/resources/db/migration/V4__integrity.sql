-- Integrity under faults and hostile tenants.

-- Every write of a list sync is fenced by a token unique to its claim (the owner's name is not: an
-- instance can claim its own running list again after a stall). A full sync's removal check is
-- stamped with the run that began it, which a resumed full sync keeps using.
alter table klaviyo_list
    add column lease_token          uuid,
    add column full_scan_run        bigint,
    add column full_scan_started_at timestamptz;

-- A person created from a flow push (unsigned, a hint): their values are the push's until Klaviyo's
-- API gives its own, and a push never changes a person whose values came from Klaviyo's API.
alter table subscriber
    add column pushed boolean not null default false;
