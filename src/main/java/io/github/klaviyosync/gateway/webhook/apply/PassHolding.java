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
 * ({@link #takeCommit} with no account). Once a pass has decided to end it takes nothing more.
 */
final class PassHolding {

    private final Set<UUID> writing = new HashSet<>();
    private final Set<UUID> committedMeanwhile = new HashSet<>();
    private boolean claimAgain;
    private boolean ending;

    /** The accounts of the batch just claimed. */
    synchronized void holds(Set<UUID> claimed) {
        writing.addAll(claimed);
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
