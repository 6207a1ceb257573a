/** The JSON shapes of the status and admin API, as CONTRACT.md names them, and the mapping from entities. */
package io.github.klaviyosync.gateway.status.api;
