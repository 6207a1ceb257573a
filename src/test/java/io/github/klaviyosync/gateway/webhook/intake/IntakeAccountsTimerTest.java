package io.github.klaviyosync.gateway.webhook.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The account reads' timer: Vert.x refuses a timer under 1 ms, so a wait between 0 and 1 ms is
 * rounded up to 1 ms (it hung HostileTenantTest, and would stall a production intake, when the
 * previous read ended just under a read interval before).
 */
class IntakeAccountsTimerTest {

    @Test
    void vertxRefusesATimerUnderOneMillisecond() {
        Vertx vertx = Vertx.vertx();
        try {
            assertThrows(IllegalArgumentException.class, () -> vertx.setTimer(0, id -> { }));
            long timer = vertx.setTimer(IntakeAccounts.timerDelay(500_000).toMillis(), id -> { });
            vertx.cancelTimer(timer);
        } finally {
            vertx.close();
        }
    }

    @Test
    void aWaitIsRoundedUpToWholeMilliseconds() {
        assertEquals(Duration.ZERO, IntakeAccounts.timerDelay(0));
        assertEquals(Duration.ZERO, IntakeAccounts.timerDelay(-5));
        assertEquals(Duration.ofMillis(1), IntakeAccounts.timerDelay(1));
        assertEquals(Duration.ofMillis(1), IntakeAccounts.timerDelay(500_000));
        assertEquals(Duration.ofMillis(1), IntakeAccounts.timerDelay(1_000_000));
        assertEquals(Duration.ofMillis(2), IntakeAccounts.timerDelay(1_000_001));
        assertEquals(Duration.ofMillis(250), IntakeAccounts.timerDelay(249_600_000));
    }
}
