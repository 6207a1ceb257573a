package io.github.klaviyosync.gateway.testsupport;

import io.github.klaviyosync.gateway.devservices.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;

/** A fresh embedded PostgreSQL of a test class's own, with every migration applied (no application). */
public final class MigratedDatabase {

    private MigratedDatabase() {
    }

    /** Started and migrated; the caller closes it. */
    public static EmbeddedPostgresServer start() {
        EmbeddedPostgresServer database = EmbeddedPostgresServer.startFresh();
        Flyway.configure()
                .dataSource(database.jdbcUrl(), EmbeddedPostgresServer.USER, "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return database;
    }
}
