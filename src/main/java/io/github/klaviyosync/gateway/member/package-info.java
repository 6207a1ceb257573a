/** Subscribers and their list memberships: entities, phone and consent mapping, and the member sync. */
package io.github.klaviyosync.gateway.member;
