/**
 * Webhook intake: verify the raw bytes, store every event (group commit), acknowledge; then an applier
 * claims stored events across instances and applies each in its own transaction, with retries.
 */
package io.github.klaviyosync.gateway.webhook;
