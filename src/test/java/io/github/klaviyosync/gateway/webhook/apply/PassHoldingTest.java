package io.github.klaviyosync.gateway.webhook.apply;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PassHoldingTest {

    private static final UUID SHOP = UUID.randomUUID();
    private static final UUID OTHER_SHOP = UUID.randomUUID();

    @Test
    void takesCommitsOfTheAccountsItIsWritingAndHandsThemOnOnceWritten() {
        PassHolding holding = new PassHolding();
        holding.holds(Set.of(SHOP, OTHER_SHOP));

        assertTrue(holding.takeCommit(SHOP));
        assertFalse(holding.takeCommit(UUID.randomUUID()), "an account it does not hold");
        assertTrue(holding.released(SHOP), "the commit taken needs a pass now");
        assertFalse(holding.takeCommit(SHOP), "written: a commit of it needs a pass of its own");
        assertFalse(holding.released(OTHER_SHOP), "no commit of it came");
        assertFalse(holding.claimAgain(false), "a batch not full ends the pass");
        assertFalse(holding.takeCommit(null), "an ending pass takes nothing");
    }

    @Test
    void claimsAgainAfterAFullBatchOrWhenAsked() {
        PassHolding holding = new PassHolding();
        assertTrue(holding.claimAgain(true));
        assertTrue(holding.takeCommit(null));
        assertTrue(holding.claimAgain(false), "asked by a pass that found nothing");
        assertFalse(holding.claimAgain(false));
    }

    @Test
    void takesEveryCommitDuringItsClaimKeepsThoseOfTheAccountsClaimedAndHandsOnTheRest() {
        PassHolding holding = new PassHolding();
        holding.claiming();
        assertTrue(holding.takeCommit(SHOP), "during the claim: a commit of any account");
        assertTrue(holding.takeCommit(OTHER_SHOP));

        assertTrue(holding.holds(Set.of(SHOP)), "the other shop's commit needs a pass now");
        assertFalse(holding.takeCommit(OTHER_SHOP), "claim known: an account it does not hold");
        assertTrue(holding.released(SHOP), "the shop's commit during the claim waited for its release");

        holding.claiming();
        assertTrue(holding.takeCommit(SHOP));
        assertFalse(holding.holds(Set.of(SHOP)), "only the claimed account's commit came");
        assertFalse(holding.holds(Set.of()), "nothing left over from the claim before");
    }
}
