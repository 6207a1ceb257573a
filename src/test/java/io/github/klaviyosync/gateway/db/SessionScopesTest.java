package io.github.klaviyosync.gateway.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.account.AccountRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins what {@link SessionScopes} takes from Quarkus's internals (the context-safety flag of
 * quarkus-vertx, 3.33.2): each piece of work gets a duplicated context of its own, on which Panache
 * opens a session, even when started from inside another such piece of work.
 */
@QuarkusTest
class SessionScopesTest {

    @Inject
    SessionScopes scopes;

    @Inject
    AccountRepository accounts;

    @Test
    void eachPieceOfWorkRunsOnAContextOfItsOwnWherePanacheOpensASession() {
        List<Object> seen = scopes.isolated(() -> contextAndCount()
                        .chain(outer -> scopes.isolated(this::contextAndCount)
                                .map(inner -> List.of(outer.get(0), inner.get(0), outer.get(1), inner.get(1)))))
                .await().atMost(Duration.ofSeconds(10));

        assertTrue(VertxContext.isDuplicatedContext((Context) seen.get(0)));
        assertTrue(VertxContext.isDuplicatedContext((Context) seen.get(1)));
        assertNotSame(seen.get(0), seen.get(1), "work started from other work gets a context of its own");
        assertEquals(seen.get(2), seen.get(3), "Panache opened a session on both");
    }

    private Uni<List<Object>> contextAndCount() {
        Context context = Vertx.currentContext();
        return Panache.withSession(() -> accounts.count())
                .map(count -> List.of(context, count));
    }
}
