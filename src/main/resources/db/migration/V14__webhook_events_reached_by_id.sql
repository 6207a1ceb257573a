-- An apply pass reads and marks the events it claimed by id (WebhookEventRepository.CLAIMED_PAYLOADS,
-- MARK_CLAIMED_APPLIED); both also name the account and the mark the status. Before PostgreSQL 17, a
-- table never analysed (a new database, or a burst before autovacuum's first visit) let the planner
-- guess that one account's received events were a handful and reach them through this index on
-- (account_id, status), the ids left to a filter; the connection's prepared statement kept that plan,
-- so each batch of the webhook benchmark read the account's whole backlog (290 ms a batch at 90,000
-- received events) and the applier never caught up. The listing index now holds only the events the
-- applier no longer touches, so no statement of the applier can use it: received events are reached
-- through the primary key or webhook_event_due (V12), which hold them by id.
drop index webhook_event_by_status;
create index webhook_event_by_status on webhook_event (account_id, status, id desc) where status in ('applied', 'failed');
