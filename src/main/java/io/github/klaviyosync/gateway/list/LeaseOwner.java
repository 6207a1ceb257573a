package io.github.klaviyosync.gateway.list;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This process's name on the leases it takes: the host (the pod name on Kubernetes) and a random
 * suffix, so a restarted process never mistakes its predecessor's leases for its own.
 */
@ApplicationScoped
public class LeaseOwner {

    private final String id;

    LeaseOwner() {
        String host = System.getenv().getOrDefault("HOSTNAME", "gateway");
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        this.id = host + "-" + HexFormat.of().formatHex(suffix);
    }

    public String id() {
        return id;
    }
}
