package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.ListLease;

/** The list's lease (or a sweep's claim) expired and another claim took it: this sync stops without writing more. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(ListLease lease) {
        super("lease on list " + lease.klaviyoListId() + " lost by " + lease.owner());
    }

    /** A profile sweep's claim, lost {@code when} (empty: at a page commit). */
    public LeaseLostException(ProfileSweepLease lease, String when) {
        super("the profile sweep of account " + lease.accountId() + " lost its claim" + when + " (" + lease.owner() + ")");
    }
}
