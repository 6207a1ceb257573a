package io.github.klaviyosync.gateway.list;

/**
 * The account's discovery or list check was claimed again after this walk's lease lapsed: the walk
 * stops, and what it had not committed (its completion, the lists it would mark deleted) is not written.
 */
class DiscoveryLeaseLostException extends RuntimeException {

    DiscoveryLeaseLostException(DiscoveryLease lease) {
        super("the claim on account " + lease.accountId() + "'s lists was lost by " + lease.owner()
                + " (its lease lapsed and the account was claimed again)");
    }

    /** Fails unless the fenced statement found the claim's row. */
    static void unlessOne(int rows, DiscoveryLease lease) {
        if (rows != 1) {
            throw new DiscoveryLeaseLostException(lease);
        }
    }
}
