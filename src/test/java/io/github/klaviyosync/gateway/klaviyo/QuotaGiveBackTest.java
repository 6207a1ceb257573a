package io.github.klaviyosync.gateway.klaviyo;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.handover.HandoverStep;
import io.github.klaviyosync.gateway.klaviyo.model.CallPriority;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.quarkus.arc.All;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The handover's quota step, through the real cache and the shared budget in PostgreSQL: the permits
 * this instance holds unspent go back to the account's window, where the other instances lease them.
 */
@QuarkusTest
class QuotaGiveBackTest {

    @Inject
    QuotaCache cache;

    @Inject
    @All
    List<HandoverStep> steps;

    @Test
    void theHandoverGivesThePermitsInHandBackToTheAccountsWindow() throws Throwable {
        Eventually.awayFromTheMinutesEnd(Duration.ofSeconds(10));
        String account = UUID.randomUUID().toString();
        KlaviyoCredentials sync = new KlaviyoCredentials(account, "give-back", "pk_test", CallPriority.SYNC, "give-back-holder");
        // The first call leases one permit; the second leases one more than it needs (the pace so far).
        for (int call = 0; call < 2; call++) {
            VertxContextSupport.subscribeAndAwait(() -> cache.acquire(sync, KlaviyoOperation.GET_PROFILES_FOR_LIST));
        }
        assertEquals(3, granted(account));

        HandoverStep quota = steps.stream()
                .filter(step -> step.getClass().getSimpleName().startsWith("QuotaHandover"))
                .findFirst()
                .orElseThrow();
        VertxContextSupport.subscribeAndAwait(() -> quota.handOver(Duration.ZERO));

        assertEquals(2, granted(account), "the permit in hand went back to the window");
    }

    private static long granted(String account) {
        return ((Number) row("select granted from klaviyo_quota where budget_key = ? and tier = 'l'", account).get("granted"))
                .longValue();
    }
}
