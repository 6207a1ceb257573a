package io.github.klaviyosync.gateway.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.db.DatabaseOutage;
import io.github.klaviyosync.gateway.privacy.ScrubbedThrowable;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a REST call into {@code application/problem+json}. Details are written
 * here or by the code that threw an {@link ApiProblem}; an exception's own message never reaches
 * the answer, since it may name classes or quote input.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final GatewayConfig config;

    ProblemMappers(GatewayConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> apiProblem(ApiProblem problem) {
        return response(problem);
    }

    /** The answer to {@code problem}, for resources that map exceptions of their own (the webhooks'). */
    public static RestResponse<Problem> response(ApiProblem problem) {
        return answer(problem.toProblem(), problem.retryAfterSeconds());
    }

    /** Unknown paths (404), wrong methods (405), media types (415, 406) and other JAX-RS refusals. */
    @ServerExceptionMapper
    public RestResponse<Problem> webApplication(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(exception);
        }
        if (exception.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        return response(ApiProblem.withStatus(status, refusalDetail(status)));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> mismatchedInput(MismatchedInputException exception) {
        return badJson(exception);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unparsableJson(JsonParseException exception) {
        return badJson(exception);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> jsonProcessing(JsonProcessingException exception) {
        return badJson(exception);
    }

    /**
     * An I/O failure once the answer is already out. The case that happens: a chunked body past
     * {@code quarkus.http.limits.max-body-size}, which the HTTP layer answers with 413 itself while the
     * REST layer reads it, and then fails the read. That is the client's mistake and nothing is left to
     * write (writing again fails), so the failure goes back to Quarkus, which logs I/O failures at DEBUG
     * and leaves a finished answer alone. An I/O failure before any answer is a bug like any other.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> ioFailure(IOException failure, HttpServerResponse response) throws IOException {
        if (response.headWritten()) {
            throw failure;
        }
        return unexpected(failure);
    }

    /**
     * The last resort: a lost database is a 503 the caller may retry; anything else is a bug, logged
     * (scrubbed of personal data) and answered with a 500 that says nothing of its cause.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable failure) {
        if (DatabaseOutage.isCausedBy(failure)) {
            LOG.warnf("database unreachable: %s", ScrubbedThrowable.of(failure).getMessage());
            long retryAfter = Math.max(1, config.api().unavailableRetryAfter().toSeconds());
            return response(ApiProblem.unavailable("the database is unreachable; retry later", retryAfter));
        }
        return bug(failure);
    }

    private static RestResponse<Problem> bug(Throwable failure) {
        LOG.error("unexpected failure of a REST call", ScrubbedThrowable.of(failure));
        return response(ApiProblem.withStatus(500, "an unexpected error occurred; it has been logged"));
    }

    private static RestResponse<Problem> badJson(JsonProcessingException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof JsonParseException) {
                return response(ApiProblem.badRequest("the body is not valid JSON"));
            }
        }
        String field = exception instanceof JsonMappingException mapping ? fieldPath(mapping) : "";
        String detail = field.isEmpty()
                ? "the body does not have the documented JSON shape"
                : "field '" + field + "' is missing or has the wrong type";
        return response(ApiProblem.badRequest(detail));
    }

    /** The JSON path of the offending field, from names the caller wrote (never a Java type). */
    private static String fieldPath(JsonMappingException exception) {
        return exception.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String refusalDetail(int status) {
        return switch (status) {
            case 400 -> "the request is malformed";
            case 401 -> "a valid bearer token is required";
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed on this resource";
            case 406 -> "the requested media type cannot be produced; accept application/json";
            case 413 -> "the request body is too large";
            case 415 -> "unsupported media type; send application/json";
            default -> "the request was refused";
        };
    }

    static RestResponse<Problem> answer(Problem problem, Long retryAfterSeconds) {
        RestResponse.ResponseBuilder<Problem> builder = RestResponse.ResponseBuilder
                .<Problem>create(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem);
        if (retryAfterSeconds != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return builder.build();
    }
}
