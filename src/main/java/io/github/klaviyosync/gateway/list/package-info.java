/** Klaviyo lists: the entity with its sync state, leases across replicas, and nightly discovery. */
package io.github.klaviyosync.gateway.list;
