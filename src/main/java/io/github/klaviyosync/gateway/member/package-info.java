/**
 * Subscribers and their list memberships: entities, phone and consent mapping, the member sync, and
 * the profile sweep that keeps stored people's consent and contact data current.
 */
package io.github.klaviyosync.gateway.member;
