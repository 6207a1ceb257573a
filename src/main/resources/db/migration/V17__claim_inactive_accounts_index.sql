-- The member-sync claim (list/ListRepository.CLAIM) leaves out the lists of accounts that are not
-- active. Joined to every active account, it hashed the whole account table at each claim: 7 of its
-- 16-34 ms at 20,000 accounts and 1,000,000 lists (docs/SCALING.md). It now asks whether a due list's
-- account is one of the few that are not active, which this index holds alone (auth_failed, deleted).
create index account_not_active on account (id) where status <> 'active';
