-- A person deleted while on lists left them, and the change feed says so. Today that happens when a
-- person created from a push turns out to be merged into another profile in Klaviyo: their
-- memberships move to the survivor (recorded as the survivor's joins) and their row goes. Deleted by
-- cascade, the memberships recorded nothing, and the feed, which joins the person's current row to
-- name the profile, could not have named it: a consumer kept the merged-away id on the list.
--
-- The change keeps the Klaviyo profile id of a person whose row is deleted (an id, no personal data).
-- An account's purge deletes its memberships before its people, so it records nothing here.
alter table member_change add column profile_id text;

-- Before the row goes (a cascade would delete the memberships first): one `left` per list the person
-- is on. A row trigger: people are deleted one by one by a merge, and in bounded batches by a purge,
-- where the probe by list_membership_subscriber finds nothing.
create function member_change_person_deleted() returns trigger language plpgsql as $$
begin
    insert into member_change (account_id, list_id, subscriber_id, type, profile_id)
    select m.account_id, m.list_id, old.id, 'left', old.klaviyo_profile_id
      from list_membership m
     where m.subscriber_id = old.id and m.account_id = old.account_id and m.removed_at is null;
    if found then
        perform pg_notify('member_change', '');
    end if;
    return old;
end $$;

create trigger subscriber_change_delete before delete on subscriber
    for each row execute function member_change_person_deleted();
