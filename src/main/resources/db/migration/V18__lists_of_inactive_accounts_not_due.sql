-- The lists of an account that is not active (auth_failed, deleted) are never synced, so their
-- next_sync_at stays in the past and every member-sync claim read them all through klaviyo_list_due
-- before leaving them out: with 1,000 such accounts of 50 lists among 1,000,000 lists, a claim in the
-- steady state cost 24-32 ms instead of 6-11 (bench/claim-scale.sh INACTIVE_OVERDUE=1). Each list now
-- carries whether its account is active, set in the transaction that changes the account's status
-- (list/ListsFollowAccountStatus), and the index of due lists holds only those of active accounts.
alter table klaviyo_list add column account_active boolean not null default true;

update klaviyo_list l set account_active = false
  from account a
 where a.id = l.account_id and a.status <> 'active';

drop index klaviyo_list_due;
create index klaviyo_list_due on klaviyo_list (next_sync_at) where status = 'active' and account_active;
