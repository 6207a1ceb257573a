package io.github.klaviyosync.gateway.webhook.apply;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * What one running apply pass holds: the accounts of its batch whose events it is still writing. A
 * commit of such an account needs no pass of its own (it could claim nothing of that account's until
 * the pass has written them): the pass takes it, and once it has written that account's events it
 * hands the commit on ({@link #released}), for a pass to claim what came meanwhile. A pass woken
 * before another's claim was known, and that found nothing, asks every running pass to claim again
 * ({@link #takeCommit} with no account). While the pass claims, it takes every commit: those of
 * accounts its claim then holds wait for their release like the others, and those of other accounts
 * are handed on at once ({@link #holds}); a commit during a claim no longer starts a pass of its own
 * that waits for that claim, then reads the backlog of the accounts it holds to find nothing. Once a
 * pass has decided to end it takes nothing more.
 */
final class PassHolding {

    private final Set<UUID> writing = new HashSet<>();
    private final Set<UUID> committedMeanwhile = new HashSet<>();
    private final Set<UUID> committedDuringClaim = new HashSet<>();
    private boolean claimAgain;
    private boolean ending;
    private boolean claiming;

    /** A claim is under way: commits that come meanwhile are taken and sorted out once it is known. */
    synchronized void claiming() {
        claiming = true;
    }

    /**
     * The accounts of the batch just claimed (none when the claim failed); true when commits of other
     * accounts came during the claim and need a pass.
     */
    synchronized boolean holds(Set<UUID> claimed) {
        writing.addAll(claimed);
        claiming = false;
        boolean forAnotherPass = false;
        for (UUID account : committedDuringClaim) {
            if (claimed.contains(account)) {
                committedMeanwhile.add(account);
            } else {
                forAnotherPass = true;
            }
        }
        committedDuringClaim.clear();
        return forAnotherPass;
    }

    /** Takes a commit of the account being written (of any, when null: claim again); false when this pass cannot serve it. */
    synchronized boolean takeCommit(UUID accountId) {
        if (ending) {
            return false;
        }
        if (accountId == null) {
            claimAgain = true;
            return true;
        }
        if (claiming) {
            committedDuringClaim.add(accountId);
            return true;
        }
        if (!writing.contains(accountId)) {
            return false;
        }
        committedMeanwhile.add(accountId);
        return true;
    }

    /** The account's events of the batch are written; true when commits of it came meanwhile and need a pass. */
    synchronized boolean released(UUID accountId) {
        writing.remove(accountId);
        return committedMeanwhile.remove(accountId);
    }

    /** After a batch is written: whether to claim again (the batch was full, or asked to); else the pass ends. */
    synchronized boolean claimAgain(boolean batchWasFull) {
        if (batchWasFull || claimAgain) {
            claimAgain = false;
            return true;
        }
        ending = true;
        return false;
    }
}
