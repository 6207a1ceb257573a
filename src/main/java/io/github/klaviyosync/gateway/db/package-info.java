/**
 * Persistence conventions, followed by every feature package (the schema is in db/migration):
 * <ul>
 * <li>Each table has one repository, in the package that owns the fact; only it holds SQL that
 *     writes the table. Entities and Panache ({@code persist}, {@code update(...)}, HQL) say plain
 *     state changes and reads.</li>
 * <li>A native statement is used only where Panache cannot say it ({@code FOR UPDATE SKIP LOCKED},
 *     {@code ON CONFLICT}, data-modifying CTEs, {@code unnest} batches) or a benchmark needs it. It is a
 *     named constant of its owner's repository with one line of why, and runs on the reactive
 *     {@link io.vertx.mutiny.sqlclient.Pool} with positional {@code $n} parameters, on the
 *     {@link io.vertx.mutiny.sqlclient.SqlConnection} of the caller's transaction: the service that
 *     calls it owns the transaction ({@code pool.withTransaction}).</li>
 * <li>Rows are read by column name ({@link io.github.klaviyosync.gateway.db.Rows}); enums are bound as
 *     parameters ({@link io.github.klaviyosync.gateway.db.WireValue#wire()}), never typed as SQL
 *     literals; a batch of rows is bound as one typed array per column and read with {@code unnest};
 *     durations as seconds for {@code make_interval(secs => $n)}.</li>
 * </ul>
 */
package io.github.klaviyosync.gateway.db;
