package io.github.klaviyosync.gateway.webhook.intake;

import io.github.klaviyosync.gateway.webhook.WebhookRejection;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.db.DatabaseOutage;
import io.github.klaviyosync.gateway.webhook.Failures;
import io.github.klaviyosync.gateway.webhook.NewEvent;
import io.github.klaviyosync.gateway.webhook.SystemWebhook;
import io.github.klaviyosync.gateway.webhook.WebhookCredentials;
import io.github.klaviyosync.gateway.webhook.WebhookKind;
import io.github.klaviyosync.gateway.webhook.WebhookMetrics;
import io.github.klaviyosync.gateway.webhook.WebhookPayloads;
import io.github.klaviyosync.gateway.webhook.apply.ApplierWakeUp;
import io.github.klaviyosync.gateway.webhook.intake.SignatureVerifier.SystemHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Store-then-acknowledge for both kinds of webhook: find the account (in this instance's cache, else
 * in the database), verify the raw bytes, parse, and write every event of the request in one
 * transaction that re-checks the credentials it was verified with. The returned Uni completes only after
 * that commit; it fails with a {@link WebhookRejection} (400/401/404/413) or, when the database
 * cannot be used, a {@link WebhookStorageUnavailable} (503), never with anything else.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    private final IntakeAccounts accounts;
    private final SecretBox secretBox;
    private final SignatureVerifier verifier;
    private final WebhookPayloads payloads;
    private final InboxWriter inbox;
    private final WebhookMetrics metrics;
    private final ApplierWakeUp applierWakeUp;
    private final int maxBodyBytes;

    WebhookIntake(IntakeAccounts accounts, SecretBox secretBox, SignatureVerifier verifier, WebhookPayloads payloads,
            InboxWriter inbox, WebhookMetrics metrics, ApplierWakeUp applierWakeUp, GatewayConfig config) {
        this.accounts = accounts;
        this.secretBox = secretBox;
        this.verifier = verifier;
        this.payloads = payloads;
        this.inbox = inbox;
        this.metrics = metrics;
        this.applierWakeUp = applierWakeUp;
        this.maxBodyBytes = config.webhook().maxBodyBytes();
    }

    public Uni<StoreResult> receiveSystem(String accountId, SystemHeaders headers, byte[] body) {
        return receive(WebhookKind.SYSTEM, accountId, body, () -> verifier.checkSystemHeaders(headers, Instant.now()),
                account -> systemEvents(account, headers, body));
    }

    public Uni<StoreResult> receiveFlow(String accountId, String token, byte[] body) {
        return receive(WebhookKind.FLOW, accountId, body, () -> verifier.checkFlowTokenGiven(token),
                account -> flowEvent(account, token, body));
    }

    /**
     * Cheap checks first ({@code precheck}: headers, the timestamp window), then the account (cache or
     * database), then the checks that hash or parse the body ({@code verify}), then the store.
     */
    private Uni<StoreResult> receive(WebhookKind kind, String accountId, byte[] body, Runnable precheck,
            Function<WebhookCredentials, List<NewEvent>> verify) {
        return Uni.createFrom().deferred(() -> {
                    if (body.length > maxBodyBytes) {
                        return Uni.createFrom().failure(WebhookRejection.tooLarge(maxBodyBytes));
                    }
                    precheck.run();
                    UUID id = parseId(accountId);
                    if (id == null) {
                        return Uni.createFrom().failure(WebhookRejection.unknownAccount());
                    }
                    WebhookCredentials cached = accounts.cached(id);
                    return cached != null ? attempt(kind, cached, verify, true) : loaded(kind, id, verify);
                })
                .onFailure().transform(failure -> rejected(kind, failure));
    }

    /**
     * Verifies the request against {@code account} and stores its events. When the account came from
     * the cache, a refusal (by the verification, or by the inbox because the credentials changed in
     * the database) is not final: the account is read again and the request judged once more.
     */
    private Uni<StoreResult> attempt(WebhookKind kind, WebhookCredentials account,
            Function<WebhookCredentials, List<NewEvent>> verify, boolean fromCache) {
        List<NewEvent> events;
        try {
            events = verify.apply(account);
        } catch (WebhookRejection rejection) {
            return fromCache && rejection.status() == 401
                    ? reloaded(kind, account.accountId(), verify, rejection)
                    : Uni.createFrom().failure(rejection);
        }
        return store(kind, account, events)
                .chain(result -> {
                    if (result.refused() == 0) {
                        return Uni.createFrom().item(result);
                    }
                    return fromCache
                            ? loaded(kind, account.accountId(), verify)
                            : Uni.createFrom().failure(WebhookRejection.unauthorized("credentials_changed"));
                });
    }

    private Uni<StoreResult> loaded(WebhookKind kind, UUID id, Function<WebhookCredentials, List<NewEvent>> verify) {
        return accounts.load(id)
                .onItem().ifNull().failWith(WebhookRejection::unknownAccount)
                .chain(account -> attempt(kind, account, verify, false));
    }

    /** The cached copy refused the request: judged again on a fresh read, unless the account was read again lately. */
    private Uni<StoreResult> reloaded(WebhookKind kind, UUID id, Function<WebhookCredentials, List<NewEvent>> verify,
            WebhookRejection refusal) {
        return accounts.reload(id)
                .onItem().ifNull().failWith(() -> refusal)
                .chain(account -> attempt(kind, account, verify, false));
    }

    private List<NewEvent> systemEvents(WebhookCredentials account, SystemHeaders headers, byte[] body) {
        String secret = account.webhookSecretSealed() == null
                ? null
                : secretBox.open(account.webhookSecretSealed(), SecretField.WEBHOOK_SECRET, account.accountId());
        Instant now = Instant.now();
        verifier.verifySystem(secret, body, headers, now);
        SystemWebhook webhook = payloads.parseSystem(body);
        if (!webhook.meta().klaviyoWebhookId().equals(headers.webhookId())) {
            throw WebhookRejection.unauthorized("webhook_id");
        }
        if (account.klaviyoAccountId() != null && !account.klaviyoAccountId().equals(webhook.meta().klaviyoAccountId())) {
            throw WebhookRejection.unauthorized("klaviyo_account");
        }
        List<NewEvent> events = new ArrayList<>();
        for (JsonNode element : webhook.data()) {
            SystemWebhook.Event event = payloads.parseEvent(element, now);
            events.add(new NewEvent(account.accountId(), WebhookKind.SYSTEM, event.externalId(), event.topic(),
                    payloads.toJson(element), notAfter(WebhookPayloads.occurredAt(event), now)));
        }
        return events;
    }

    private List<NewEvent> flowEvent(WebhookCredentials account, String token, byte[] body) {
        verifier.verifyFlowToken(token, account.flowTokenHash());
        payloads.parseFlow(body);
        // Stored as received: parseFlow proved it is JSON of the documented shape in plain UTF-8.
        String payload = new String(body, StandardCharsets.UTF_8);
        return List.of(new NewEvent(account.accountId(), WebhookKind.FLOW, null, null, payload, null));
    }

    private Uni<StoreResult> store(WebhookKind kind, WebhookCredentials verifiedWith, List<NewEvent> events) {
        return inbox.store(verifiedWith, events)
                .onFailure().invoke(() -> metrics.received(kind, events.size()))
                .invoke(result -> stored(kind, verifiedWith.accountId(), events.size(), result));
    }

    private void stored(WebhookKind kind, UUID accountId, int events, StoreResult result) {
        if (result.stored() > 0) {
            applierWakeUp.wakeUp(accountId);
        }
        if (result.refused() == 0) {
            // A refused request is judged again (or refused): counted by that outcome.
            metrics.received(kind, events);
            metrics.duplicates(kind, result.duplicates());
        }
    }

    private Throwable rejected(WebhookKind kind, Throwable failure) {
        if (failure instanceof WebhookRejection rejection) {
            metrics.rejected(kind, rejection.reason());
            return rejection;
        }
        if (failure instanceof WebhookStorageUnavailable busy) {
            // The inbox's wait is full or was too long: Klaviyo retries the 503 later.
            metrics.rejected(kind, "busy");
            return busy;
        }
        String description = Failures.describe(failure);
        if (DatabaseOutage.isCausedBy(failure)) {
            LOG.warnf("%s webhook answered 503: %s", kind.wire(), description);
        } else {
            LOG.errorf("%s webhook answered 503 after an unexpected failure: %s", kind.wire(), description);
        }
        metrics.rejected(kind, "unavailable");
        return new WebhookStorageUnavailable(description);
    }

    /**
     * An event time later than the event's arrival counts as its arrival: an event dated in the future
     * would otherwise hold its consent against every later change until then.
     */
    private static Instant notAfter(Instant occurredAt, Instant arrival) {
        return occurredAt == null || occurredAt.isBefore(arrival) ? occurredAt : arrival;
    }

    private static UUID parseId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
