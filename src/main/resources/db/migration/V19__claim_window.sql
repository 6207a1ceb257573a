-- The member-sync claim (list/ListRepository.CLAIM) ranks a bounded window of the due lists: the
-- oldest few of accounts below their cap, and the oldest few that a push or a manual request made
-- due. Those are due now, the newest of all in a backlog, so the oldest-first window alone would
-- leave them behind every overdue list; this index finds them without reading the backlog.
create index klaviyo_list_triggered on klaviyo_list (next_sync_at)
 where pending_trigger is not null and status = 'active' and account_active;
