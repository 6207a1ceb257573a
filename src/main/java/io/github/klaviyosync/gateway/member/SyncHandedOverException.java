package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.list.ListLease;

/**
 * The instance is handing over: this sync (or sweep) stopped after its last committed page, and
 * another instance resumes there.
 */
public class SyncHandedOverException extends RuntimeException {

    public SyncHandedOverException(ListLease lease) {
        this(lease.owner(), "the list");
    }

    SyncHandedOverException(String owner, String work) {
        super("stopped after a committed page: " + owner + " handed " + work + " over to another instance, "
                + "which resumes at the next page");
    }
}
