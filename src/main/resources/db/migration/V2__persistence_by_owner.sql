-- Persistence by owner: each table is written by one package.

-- 1. Discovery state moves off `account` (the account package's table) into a table of the list
--    package, which claims and completes discoveries. An account without a row here has never been
--    discovered: the claim treats it as due now, with trigger `connect`.
create table list_discovery (
    account_id        uuid primary key references account (id) on delete cascade,
    next_discovery_at timestamptz not null default now(),
    trigger           text check (trigger in ('schedule', 'manual', 'connect')), -- why it is due before the cron
    last_discovery_at timestamptz,
    lease_owner       text,
    lease_until       timestamptz
);

create index list_discovery_due on list_discovery (next_discovery_at);

insert into list_discovery (account_id, next_discovery_at, trigger, last_discovery_at, lease_owner, lease_until)
select id,
       coalesce(next_discovery_at, now()),
       coalesce(discovery_trigger, case when last_discovery_at is null then 'connect' end),
       last_discovery_at,
       discovery_lease_owner,
       discovery_lease_until
  from account
 where status <> 'deleted';

drop index account_discovery_due;
alter table account
    drop column last_discovery_at,
    drop column next_discovery_at,
    drop column discovery_trigger,
    drop column discovery_lease_owner,
    drop column discovery_lease_until;

-- 2. A list's member_count follows its memberships in one place: these statement triggers, whatever
--    statement inserts, re-adds, removes or deletes memberships (a page commit, a push, a removal
--    check, a purge). Lists are locked in id order first, so statements touching several lists never
--    deadlock each other.
create function list_membership_counted_insert() returns trigger language plpgsql as $$
begin
    perform 1 from klaviyo_list where id in (select list_id from added) order by id for no key update;
    update klaviyo_list l
       set member_count = l.member_count + a.members
      from (select list_id, count(*) as members from added where removed_at is null group by list_id) a
     where l.id = a.list_id;
    return null;
end $$;

create function list_membership_counted_update() returns trigger language plpgsql as $$
begin
    perform 1 from klaviyo_list where id in (select list_id from after_update) order by id for no key update;
    update klaviyo_list l
       set member_count = l.member_count + d.delta
      from (select n.list_id,
                   count(*) filter (where o.removed_at is not null and n.removed_at is null)
                 - count(*) filter (where o.removed_at is null and n.removed_at is not null) as delta
              from before_update o
              join after_update n on n.list_id = o.list_id and n.subscriber_id = o.subscriber_id
             group by n.list_id) d
     where l.id = d.list_id and d.delta <> 0;
    return null;
end $$;

create function list_membership_counted_delete() returns trigger language plpgsql as $$
begin
    update klaviyo_list l
       set member_count = l.member_count - g.members
      from (select list_id, count(*) as members from gone where removed_at is null group by list_id) g
     where l.id = g.list_id;
    return null;
end $$;

create trigger list_membership_count_insert after insert on list_membership
    referencing new table as added
    for each statement execute function list_membership_counted_insert();

create trigger list_membership_count_update after update on list_membership
    referencing old table as before_update new table as after_update
    for each statement execute function list_membership_counted_update();

create trigger list_membership_count_delete after delete on list_membership
    referencing old table as gone
    for each statement execute function list_membership_counted_delete();

-- The counts kept until now could be off by a rare double count; start from the truth.
update klaviyo_list l
   set member_count = (select count(*) from list_membership m where m.list_id = l.id and m.removed_at is null);
