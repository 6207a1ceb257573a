/**
 * The change feed: the member package's recorded changes (joins, leaves, consent and contact changes)
 * served in commit order as pages ({@code GET /api/changes}) and live as Server-Sent Events
 * ({@code GET /api/changes/stream}), fanned out from one reader and one LISTEN connection per instance,
 * and deleted after their retention.
 */
package io.github.klaviyosync.gateway.changes;
