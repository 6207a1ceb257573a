-- A discovery's or list check's claim gets a token of its own, as a list's claim has: its page writes
-- renew the lease under it and its completion is fenced by it. The owner's name alone could not tell
-- two claims of one account apart: a walk that outlived its lease (10 minutes, then not renewed) still
-- completed after the account was claimed again, by another instance or by the same one, and marked
-- deleted the lists the later walk had found. No index: every statement finds the row by its key.
alter table list_discovery add column lease_token uuid;
