package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.ListLease;

/** The instance is handing over: this sync stopped after its last committed page, and another instance resumes there. */
public class SyncHandedOverException extends RuntimeException {

    public SyncHandedOverException(ListLease lease) {
        super("stopped after a committed page: " + lease.owner() + " handed the list over to another instance, "
                + "which resumes at the next page");
    }
}
