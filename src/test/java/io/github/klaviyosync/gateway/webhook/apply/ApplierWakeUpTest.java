package io.github.klaviyosync.gateway.webhook.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * When the wake-up starts apply passes, against passes the test drives: each started pass is an
 * emitter the test ends, and the accounts passes are writing are set by hand. A commit of an account
 * a running pass is writing starts no pass (under a steady stream of one merchant's pushes such passes
 * took turns claiming nothing), and no commit goes unserved.
 */
class ApplierWakeUpTest {

    private static final UUID SHOP = UUID.randomUUID();
    private static final UUID OTHER_SHOP = UUID.randomUUID();

    private final FakePasses passes = new FakePasses();
    private final ApplierWakeUp wakeUp = new ApplierWakeUp(passes, () -> false, 4);

    @Test
    void aCommitOfAnAccountBeingWrittenStartsNoPassUntilThatAccountIsWritten() {
        wakeUp.wakeUp(SHOP);
        assertEquals(1, passes.started.size(), "the first commit starts a pass");
        passes.writing.add(SHOP);

        wakeUp.wakeUp(SHOP);
        wakeUp.wakeUp(SHOP);
        assertEquals(1, passes.started.size(), "commits of the account being written start none");
        assertEquals(2, passes.taken, "the pass writing it took them");
        wakeUp.wakeUp(OTHER_SHOP);
        assertEquals(2, passes.started.size(), "another account's commit starts a pass at once");

        passes.writing.remove(SHOP);
        passes.released.run();
        assertEquals(3, passes.started.size(), "once written, a pass claims what the account received meanwhile");
    }

    @Test
    void aPassThatAppliedNothingLeavesItToTheRunningPassesOrFollowsThoseThatEnded() {
        wakeUp.wakeUp(SHOP);
        // A commit before the first pass's claim was known: its pass will find the account held.
        wakeUp.wakeUp(SHOP);
        assertEquals(2, passes.started.size());

        passes.started.get(1).complete(List.of());
        assertEquals(1, passes.claimAgain, "the running pass claims again");
        assertEquals(2, passes.started.size(), "and no pass replaces the empty one");

        wakeUp.wakeUp(SHOP);
        assertEquals(3, passes.started.size());
        passes.started.get(0).complete(List.of(1L));
        passes.started.get(2).complete(List.of());
        assertEquals(4, passes.started.size(), "a pass that found nothing while the others ended is followed by another");
        passes.started.get(3).complete(List.of());
        assertEquals(4, passes.started.size(), "and nothing more when no other pass ended meanwhile");
        assertTrue(passes.running() == 0);
    }

    /** Passes that the test ends; commits are taken while an account is being written. */
    private static final class FakePasses implements ApplierWakeUp.Passes {
        final List<UniEmitter<? super List<Long>>> started = new ArrayList<>();
        final Set<UUID> writing = new HashSet<>();
        int ended;
        int taken;
        int claimAgain;
        Runnable released;

        int running() {
            return started.size() - ended;
        }

        @Override
        public Uni<List<Long>> applyDue() {
            return Uni.createFrom().<List<Long>>emitter(started::add)
                    .onTermination().invoke(() -> ended++);
        }

        @Override
        public boolean takeCommit(UUID accountId) {
            if (running() > 0 && writing.contains(accountId)) {
                taken++;
                return true;
            }
            return false;
        }

        @Override
        public boolean takeCommits() {
            if (running() == 0) {
                return false;
            }
            claimAgain++;
            return true;
        }

        @Override
        public void onTakenCommitsReleased(Runnable wakeUp) {
            released = wakeUp;
        }
    }
}
