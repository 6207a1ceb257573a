/**
 * Keeping personal data and secrets out of logs: masks for emails and phone numbers, and a scrubbed
 * copy of an exception that can be logged safely. Depends on nothing.
 */
package io.github.klaviyosync.gateway.privacy;
