-- Storage that does not grow forever.

-- 1. Webhook retention: the clean-up deletes events received before a cutoff (applied ones after
--    GATEWAY_WEBHOOK_RETENTION, failed ones after GATEWAY_WEBHOOK_FAILED_RETENTION). received_at never
--    changes, so this index costs an append per insert and nothing on the apply path.
create index webhook_event_received on webhook_event (received_at);

-- 2. Purge: DELETE /api/accounts/{id}?purge=true marks the account (deleted, purge requested) and
--    answers at once; a background job deletes its rows a bounded batch per transaction, memberships
--    before people and lists, and the account row last. Until then the API treats it as gone (404).
alter table account add column purge_requested_at timestamptz;
