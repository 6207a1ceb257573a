-- The webhook claim (webhook/apply/WebhookClaimRepository.CLAIM) takes the oldest due events of the
-- accounts no other apply pass holds. Through webhook_event_due (id) it walked the due events in id
-- order, skipping those of held accounts: with one busy account held by one pass, every other pass's
-- claim read that account's whole backlog to find nothing, under the claimers' lock, and the further
-- the applier fell behind, the dearer each claim (up to 81 ms a claim in the webhook benchmark). By
-- account, the claim reads one entry per due account (a skip scan down this index), then the oldest
-- events of the accounts it takes: its cost follows the accounts with due events, not their backlog.
-- Same entries as the index it replaces, so the inbox's insert costs the same.
create index webhook_event_due_by_account on webhook_event (account_id, id) where status = 'received';
drop index webhook_event_due;
alter index webhook_event_due_by_account rename to webhook_event_due;
