/** Persistence helpers shared by the feature packages; the schema itself is in db/migration. */
package io.github.klaviyosync.gateway.db;
