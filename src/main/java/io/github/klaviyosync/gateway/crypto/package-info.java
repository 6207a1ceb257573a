/** Secrets at rest: AES-GCM for what must be read back, hashes for tokens. Depends on config alone. */
package io.github.klaviyosync.gateway.crypto;
