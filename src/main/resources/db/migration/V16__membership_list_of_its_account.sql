-- A membership's list is a list of the membership's account: one foreign key on (account_id, list_id)
-- replaces the two on list_id and on account_id. Nothing held the two together before (a membership
-- could name one account's list and another account), and each row written by a page commit or a push
-- batch paid two key checks where it now pays one (the four checks a row were 40% of a push batch's
-- time). The account's lists cascade to their memberships as before, and the account to its lists.
-- The composite key is also the foreign key Citus needs between co-located tables (docs/SCALING.md).
alter table klaviyo_list add constraint klaviyo_list_of_account unique (account_id, id);
alter table list_membership
    add constraint list_membership_list_of_account foreign key (account_id, list_id)
        references klaviyo_list (account_id, id) on delete cascade,
    drop constraint list_membership_list_id_fkey,
    drop constraint list_membership_account_id_fkey;
