/** The change feed's answers: a change with the member's state, and a page of them. */
package io.github.klaviyosync.gateway.changes.api;
