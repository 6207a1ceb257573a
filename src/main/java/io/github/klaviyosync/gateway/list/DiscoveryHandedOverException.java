package io.github.klaviyosync.gateway.list;

/** The instance is handing over: this discovery stopped after its last saved page and is due again at once. */
class DiscoveryHandedOverException extends RuntimeException {

    DiscoveryHandedOverException(String owner) {
        super("stopped after a saved page: " + owner + " handed the discovery over to another instance");
    }
}
