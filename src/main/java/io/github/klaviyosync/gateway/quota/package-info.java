/**
 * Each account's Klaviyo rate budget, shared by every instance through PostgreSQL: the table and its
 * repository, the implementation of the client's {@link io.github.klaviyosync.gateway.klaviyo.QuotaLedger},
 * the handover that gives unspent permits back when the instance stops, and what the status API and
 * the metrics show of it (use per window, 429s, backfill ETAs).
 */
package io.github.klaviyosync.gateway.quota;
