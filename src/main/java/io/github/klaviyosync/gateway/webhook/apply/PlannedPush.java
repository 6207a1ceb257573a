package io.github.klaviyosync.gateway.webhook.apply;

import io.github.klaviyosync.gateway.webhook.WebhookEventRepository;
import io.github.klaviyosync.gateway.member.PushedMember;
import io.github.klaviyosync.gateway.webhook.apply.WebhookClaimRepository.Claimed;

/** A claimed flow push ready to be written in a batch: the event, and the member it pushes. */
public record PlannedPush(Claimed event, PushedMember member) {

    @Override
    public String toString() {
        return "PlannedPush[" + event.id() + "]";
    }
}
