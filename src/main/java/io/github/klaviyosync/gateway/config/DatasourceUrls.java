package io.github.klaviyosync.gateway.config;

import io.smallrye.config.ConfigMapping;

/**
 * The two URLs of the one PostgreSQL database, required in every profile. Quarkus alone treats a
 * missing URL as "this datasource is inactive": without the JDBC one the gateway would start and
 * skip its migrations, without the reactive one it would migrate and then fail deep in Hibernate.
 * Mapped here (and validated by {@link RequiredAtStartup}), a missing one stops the start-up at once
 * with the variable's name, before Flyway runs.
 */
@ConfigMapping(prefix = "gateway.datasource")
public interface DatasourceUrls {

    /** The application's reactive URL: {@code quarkus.datasource.reactive.url} ({@code QUARKUS_DATASOURCE_REACTIVE_URL}). */
    String reactiveUrl();

    /** Flyway's JDBC URL of the same database: {@code quarkus.datasource.jdbc.url} ({@code QUARKUS_DATASOURCE_JDBC_URL}). */
    String jdbcUrl();
}
