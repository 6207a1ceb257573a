/** Connected Klaviyo accounts: the entity with its sealed credentials, and the service that connects, rotates and deletes them. */
package io.github.klaviyosync.gateway.account;
