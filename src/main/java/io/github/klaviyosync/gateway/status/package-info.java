/**
 * The status and admin API the dashboard reads ({@code /api/*}): thin resources, their answer
 * records ({@code api/}), read-side queries ({@code query/}) and the sync-freshness gauges.
 */
package io.github.klaviyosync.gateway.status;
