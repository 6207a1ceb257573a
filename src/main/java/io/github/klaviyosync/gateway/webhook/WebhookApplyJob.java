package io.github.klaviyosync.gateway.webhook;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Applies stored webhook events every {@code gateway.webhook.apply-interval} (commits also wake it at once). */
@ApplicationScoped
public class WebhookApplyJob {

    private final ApplyTrigger trigger;

    WebhookApplyJob(ApplyTrigger trigger) {
        this.trigger = trigger;
    }

    @Scheduled(identity = ApplyTrigger.JOB, every = "${gateway.webhook.apply-interval}", delayed = "${gateway.webhook.apply-interval}")
    Uni<Void> applyDueEvents() {
        return trigger.tick();
    }
}
