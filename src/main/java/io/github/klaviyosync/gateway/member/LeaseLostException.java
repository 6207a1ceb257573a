package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.ListLease;

/** The list's lease (or a sweep's claim) expired and another claim took it: this sync stops without writing more. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(ListLease lease) {
        super("lease on list " + lease.klaviyoListId() + " lost by " + lease.owner());
    }

    /** Another claim than a list's lease (a profile sweep's), lost as {@code message} says. */
    public LeaseLostException(String message) {
        super(message);
    }
}
