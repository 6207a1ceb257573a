/**
 * Connected Klaviyo accounts: the entity with its sealed credentials, the service that connects, rotates
 * and deletes them, and the pass that seals their secrets again after a key rotation.
 */
package io.github.klaviyosync.gateway.account;
