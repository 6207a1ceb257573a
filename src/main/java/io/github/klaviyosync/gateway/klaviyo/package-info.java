/**
 * The Klaviyo client: a package-private REST client behind {@link io.github.klaviyosync.gateway.klaviyo.KlaviyoClient},
 * which owns retries, error mapping, paging and the local cache of each account's shared rate budget
 * ({@link io.github.klaviyosync.gateway.klaviyo.QuotaCache}; the budget itself is behind
 * {@link io.github.klaviyosync.gateway.klaviyo.QuotaLedger}, implemented above). It takes keys as
 * arguments and knows nothing of accounts, entities or crypto.
 */
package io.github.klaviyosync.gateway.klaviyo;
