/**
 * The Klaviyo client: a package-private REST client behind {@link io.github.klaviyosync.gateway.klaviyo.KlaviyoClient},
 * which owns the per-account rate governor, retries, error mapping and paging. It takes keys as
 * arguments and knows nothing of accounts, entities or crypto.
 */
package io.github.klaviyosync.gateway.klaviyo;
