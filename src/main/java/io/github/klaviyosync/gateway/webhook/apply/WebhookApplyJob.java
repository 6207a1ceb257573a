package io.github.klaviyosync.gateway.webhook.apply;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Applies stored webhook events every {@code gateway.webhook.apply-interval} (commits also wake it at once). */
@ApplicationScoped
public class WebhookApplyJob {

    private final ApplierWakeUp trigger;

    WebhookApplyJob(ApplierWakeUp trigger) {
        this.trigger = trigger;
    }

    @Scheduled(identity = ApplierWakeUp.JOB, every = "${gateway.webhook.apply-interval}", delayed = "${gateway.webhook.apply-interval}")
    Uni<Void> applyDueEvents() {
        return trigger.tick();
    }
}
