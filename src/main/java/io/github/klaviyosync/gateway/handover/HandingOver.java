package io.github.klaviyosync.gateway.handover;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lease owners of this process whose work is being handed over: they claim nothing more, and
 * their running syncs and discoveries stop after the page they are committing. Kept per owner, so a
 * test can hand over one engine of its own without stopping the application's.
 */
@ApplicationScoped
public class HandingOver {

    private final Set<String> owners = ConcurrentHashMap.newKeySet();

    public void begin(String owner) {
        owners.add(owner);
    }

    public boolean isHandingOver(String owner) {
        return owners.contains(owner);
    }
}
