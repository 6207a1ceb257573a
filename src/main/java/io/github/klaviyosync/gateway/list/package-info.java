/**
 * Klaviyo lists: the entity with its sync state, leases across replicas, nightly discovery and the
 * list checks between discoveries.
 */
package io.github.klaviyosync.gateway.list;
