package io.github.klaviyosync.gateway.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs one Klaviyo call to its end: waits for a permit of the account's shared budget
 * ({@link QuotaCache}), sends, tells the budget what Klaviyo's {@code RateLimit-*} headers say,
 * retries what is transient up to {@code gateway.klaviyo.max-attempts} (a 429 after pausing the
 * account's budget on every instance: for {@code Retry-After}, else the "Expected available in N
 * seconds" of its body, else a back-off with jitter; 503/504/524, Cloudflare pages, no answer after
 * a back-off), and turns everything else into a typed {@link KlaviyoException}. A refused key stops
 * the account's calls and is reported once.
 */
@ApplicationScoped
class KlaviyoCalls {

    private static final Logger LOG = Logger.getLogger(KlaviyoCalls.class);
    /** Klaviyo's 429 detail: "Request was throttled. Expected available in 7 seconds." */
    private static final Pattern EXPECTED_AVAILABLE = Pattern.compile("Expected available in (\\d+) second");

    private final GatewayConfig.Klaviyo config;
    private final QuotaCache quota;
    private final AccountStops stops;
    private final KlaviyoMetrics metrics;
    private final Timers timers;
    private final Event<KlaviyoAuthRejected> authRejected;
    private final ObjectMapper mapper;
    private final Backoff backoff;

    KlaviyoCalls(GatewayConfig config, QuotaCache quota, AccountStops stops, KlaviyoMetrics metrics,
            Timers timers, Event<KlaviyoAuthRejected> authRejected, ObjectMapper mapper) {
        this.config = config.klaviyo();
        this.quota = quota;
        this.stops = stops;
        this.metrics = metrics;
        this.timers = timers;
        this.authRejected = authRejected;
        this.mapper = mapper;
        this.backoff = new Backoff(this.config.backoffInitial(), this.config.backoffMax());
    }

    /** Reads a successful answer's body (a {@link IOException} says it is not JSON). */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(ObjectMapper mapper, byte[] body) throws IOException;
    }

    /** Sends {@code request} (given the Authorization header value) and returns the answer's JSON. */
    Uni<JsonNode> send(KlaviyoCredentials credentials, KlaviyoOperation operation,
            Function<String, Uni<Response>> request) {
        return send(credentials, operation, request, (json, body) -> json.readTree(body));
    }

    /** Sends {@code request} and returns the answer's body as {@code reader} reads it. */
    <T> Uni<T> send(KlaviyoCredentials credentials, KlaviyoOperation operation,
            Function<String, Uni<Response>> request, BodyReader<T> reader) {
        return Uni.createFrom().deferred(() -> attempt(credentials, operation, request, reader, 0));
    }

    private <T> Uni<T> attempt(KlaviyoCredentials credentials, KlaviyoOperation operation,
            Function<String, Uni<Response>> request, BodyReader<T> reader, int attempt) {
        String stopped = stops.reason(credentials);
        if (stopped != null) {
            return Uni.createFrom().failure(new KlaviyoAuthException(
                    "calls for account " + credentials.accountKey() + " are stopped until its key is replaced: " + stopped,
                    401, List.of()));
        }
        return quota.acquire(credentials, operation)
                .chain(() -> exchange(credentials, operation, request))
                .chain(answer -> outcome(credentials, operation, request, reader, attempt, answer));
    }

    private Uni<Answer> exchange(KlaviyoCredentials credentials, KlaviyoOperation operation,
            Function<String, Uni<Response>> request) {
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> request.apply("Klaviyo-API-Key " + credentials.apiKey()))
                .map(Answer::of)
                .onFailure().recoverWithItem(Answer::failed)
                .invoke(answer -> metrics.request(credentials.metricLabel(), operation, answer.status(),
                        System.nanoTime() - started));
    }

    private <T> Uni<T> outcome(KlaviyoCredentials credentials, KlaviyoOperation operation,
            Function<String, Uni<Response>> request, BodyReader<T> reader, int attempt, Answer answer) {
        quota.observe(credentials, operation, answer.steadyLimit(), answer.remaining(), answer.resetSeconds());
        if (answer.isSuccess()) {
            return parse(operation, answer, reader);
        }
        if (answer.status() == 429) {
            long told = toldPause(answer);
            long pause = told >= 0 ? told : backoff.delayMillis(attempt);
            // A wait beyond the burst window means Klaviyo's steady window is spent: no more leases in ours.
            boolean windowSpent = told > config.quota().burstWindow().toMillis();
            quota.throttled(credentials, operation, pause, windowSpent);
            return retryOrGiveUp(credentials, operation, request, reader, attempt, answer, 0);
        }
        if (answer.isTransient()) {
            long retryAfter = answer.retryAfterMillis();
            long pause = retryAfter >= 0 ? retryAfter : backoff.delayMillis(attempt);
            return retryOrGiveUp(credentials, operation, request, reader, attempt, answer, pause);
        }
        return Uni.createFrom().failure(failure(credentials, operation, answer));
    }

    private <T> Uni<T> retryOrGiveUp(KlaviyoCredentials credentials, KlaviyoOperation operation,
            Function<String, Uni<Response>> request, BodyReader<T> reader, int attempt, Answer answer, long pauseMillis) {
        int attempts = operation == KlaviyoOperation.GET_ACCOUNTS ? config.keyCheckMaxAttempts() : config.maxAttempts();
        if (attempt + 1 >= attempts) {
            String what = answer.status() == 0 ? "no answer" : "status " + answer.status();
            return Uni.createFrom().failure(new KlaviyoUnavailableException(
                    operation.operationId() + " failed after " + (attempt + 1) + " attempts (last: " + what + ")",
                    answer.status(), errorsOf(answer), answer.failure()));
        }
        metrics.retry(credentials.metricLabel(), operation);
        return timers.sleep(pauseMillis)
                .chain(() -> attempt(credentials, operation, request, reader, attempt + 1));
    }

    /** The wait a 429 names: {@code Retry-After}, else the body's "Expected available in N seconds"; -1 when neither. */
    private long toldPause(Answer answer) {
        long retryAfter = answer.retryAfterMillis();
        if (retryAfter >= 0) {
            return retryAfter;
        }
        for (KlaviyoError error : errorsOf(answer)) {
            Matcher expected = error.detail() == null ? null : EXPECTED_AVAILABLE.matcher(error.detail());
            if (expected != null && expected.find()) {
                return Long.parseLong(expected.group(1)) * 1_000L;
            }
        }
        return -1;
    }

    private KlaviyoException failure(KlaviyoCredentials credentials, KlaviyoOperation operation, Answer answer) {
        String accountKey = credentials.accountKey();
        List<KlaviyoError> errors = errorsOf(answer);
        String details = errors.stream()
                .map(error -> error.detail() + (error.source() == null ? "" : " (" + error.source() + ")"))
                .collect(Collectors.joining("; "));
        String message = operation.operationId() + " answered " + answer.status() + (details.isEmpty() ? "" : ": " + details);
        return switch (answer.status()) {
            case 400 -> badRequest(accountKey, message, errors);
            case 401, 403 -> refused(credentials, answer.status(), message, errors);
            case 404 -> new KlaviyoNotFoundException(message, errors);
            default -> new KlaviyoException(message, answer.status(), errors);
        };
    }

    /** 400 is the gateway's bug: said loudly, never retried. */
    private KlaviyoException badRequest(String accountKey, String message, List<KlaviyoError> errors) {
        LOG.errorf("Klaviyo refused a request of account %s as malformed (a gateway bug): %s", accountKey, message);
        return new KlaviyoBadRequestException(message, errors);
    }

    private KlaviyoException refused(KlaviyoCredentials credentials, int status, String message, List<KlaviyoError> errors) {
        String accountKey = credentials.accountKey();
        String reason = errors.isEmpty() || errors.get(0).detail() == null
                ? "Klaviyo refused the API key (" + status + ")"
                : errors.get(0).detail();
        if (stops.stop(credentials, reason)) {
            LOG.warnf("Klaviyo refused the key of account %s (%d): its calls stop until the key is replaced", accountKey, status);
            try {
                authRejected.fire(new KlaviyoAuthRejected(accountKey, status, reason,
                        KlaviyoAuthRejected.fingerprint(credentials.apiKey())));
            } catch (RuntimeException observerFailure) {
                LOG.errorf(observerFailure, "An observer of the refused key of account %s failed", accountKey);
            }
        }
        return new KlaviyoAuthException(message, status, errors);
    }

    private <T> Uni<T> parse(KlaviyoOperation operation, Answer answer, BodyReader<T> reader) {
        try {
            return Uni.createFrom().item(reader.read(mapper, answer.body()));
        } catch (IOException e) { // JsonProcessingException among them: bytes are read from memory
            return Uni.createFrom().failure(new KlaviyoException(
                    operation.operationId() + " answered " + answer.status() + " with a body that is not JSON",
                    answer.status(), List.of()));
        }
    }

    private List<KlaviyoError> errorsOf(Answer answer) {
        if (answer.isHtml() || answer.isBodyBlank()) {
            return List.of();
        }
        try {
            return JsonApiReader.errors(mapper.readTree(answer.body()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
