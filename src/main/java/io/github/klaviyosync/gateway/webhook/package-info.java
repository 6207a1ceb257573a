/** Webhook intake: verify, store, acknowledge; then apply stored events off the request path. */
package io.github.klaviyosync.gateway.webhook;
