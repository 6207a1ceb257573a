package io.github.klaviyosync.gateway.account;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every {@code gateway.crypto.rewrite-interval}, this instance seals again the stored secrets that are
 * not sealed under the current key: after a key rotation, until none is left. Safe on every replica at once.
 */
@ApplicationScoped
public class SecretRewriteJob {

    private final SecretRewriter rewriter;

    SecretRewriteJob(SecretRewriter rewriter) {
        this.rewriter = rewriter;
    }

    @Scheduled(identity = "secret-rewrite", every = "${gateway.crypto.rewrite-interval}",
            delayed = "${gateway.crypto.rewrite-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> rewrite() {
        return rewriter.rewriteAll().replaceWithVoid();
    }
}
