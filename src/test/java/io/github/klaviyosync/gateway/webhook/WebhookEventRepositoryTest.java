package io.github.klaviyosync.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.testsupport.RolledBack;
import io.github.klaviyosync.gateway.webhook.WebhookEventRepository.Stored;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The inbox's insert: duplicates of a system event, flow pushes without ids, credentials re-checked; rolled back. */
@QuarkusTest
class WebhookEventRepositoryTest {

    @Inject
    WebhookEventRepository events;

    @Inject
    Pool pool;

    @Test
    void aSystemEventIsStoredOnceFlowPushesEachTimeAndAnythingVerifiedWithOldCredentialsNever() {
        UUID account = UUID.randomUUID();
        WebhookCredentials current = new WebhookCredentials(account, "K1", new byte[] {1, 2, 3}, "token-hash");
        WebhookCredentials rotatedOut = new WebhookCredentials(account, "K1", new byte[] {1, 2, 3}, "old-token-hash");
        List<List<Stored>> outcomes = RolledBack.run(pool, connection -> connection.preparedQuery("""
                        insert into account (id, name, api_key_enc, webhook_secret_enc, flow_token_hash, klaviyo_account_id)
                        values ($1, 'test', '\\x00', '\\x010203', 'token-hash', 'K1')""")
                .execute(Tuple.of(account))
                .chain(() -> events.insertChecked(connection, List.of(current, current, current, current),
                        List.of(system(account, "ev-1"), system(account, "ev-1"), flow(account), flow(account))))
                .chain(first -> events.insertChecked(connection, List.of(current, rotatedOut),
                                List.of(system(account, "ev-1"), flow(account)))
                        .map(second -> List.of(first, second))));

        assertEquals(List.of(Stored.STORED, Stored.DUPLICATE, Stored.STORED, Stored.STORED), outcomes.get(0),
                "one event twice in one commit is stored once; flow pushes carry no id and are each stored");
        assertEquals(List.of(Stored.DUPLICATE, Stored.REFUSED), outcomes.get(1),
                "a later delivery is a duplicate; a push verified with a rotated-out token is refused");
    }

    private static NewEvent system(UUID account, String externalId) {
        return new NewEvent(account, WebhookKind.SYSTEM, externalId, "event:test", "{}", null);
    }

    private static NewEvent flow(UUID account) {
        return new NewEvent(account, WebhookKind.FLOW, null, null, "{}", null);
    }
}
