-- One live gateway account per Klaviyo account. Connecting checks with a read first, but two
-- connects of the same Klaviyo account at once both pass that read; this index refuses the second
-- insert, which the API answers 409. Deleted accounts keep their id and do not count; rows connected
-- before the id was required may hold null, which never collides. Should an existing database hold
-- two live accounts of one Klaviyo account, this migration stops the start-up naming the duplicated
-- id: delete one of them (DELETE /api/accounts/{id} marks it deleted) and start again.
--
-- Since V3 the sealed secrets (api_key_enc, webhook_secret_enc) are a format byte, a key id, the
-- nonce and the ciphertext, with "<account id>:<column>" as AES-GCM associated data; values of the
-- earlier format are still read and rewritten by the application (account/SecretRewriter).

create unique index account_klaviyo_account_live on account (klaviyo_account_id) where status <> 'deleted';
