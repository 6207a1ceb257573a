package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.ListLease;

/** The list's lease expired and another instance took it: this sync stops without writing more. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(ListLease lease) {
        super("lease on list " + lease.klaviyoListId() + " lost by " + lease.owner());
    }
}
