package io.github.klaviyosync.gateway.problem;

import jakarta.ws.rs.core.Response;

/**
 * A failure that is the caller's to know about: services throw it, {@link ProblemMappers} answers it
 * with its status. The detail is shown as it is, so it must never hold a secret or personal data.
 * Carries no stack trace: it is an answer, not a bug.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final Long retryAfterSeconds;

    private ApiProblem(int status, String title, String detail, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A problem of any error status, titled by the status's reason phrase (e.g. 413 for a body above a limit). */
    public static ApiProblem withStatus(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new ApiProblem(status, known == null ? "Error" : known.getReasonPhrase(), detail, null);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail, null);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail, null);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail, null);
    }

    public static ApiProblem unprocessable(String detail) {
        return new ApiProblem(422, "Unprocessable Content", detail, null);
    }

    public static ApiProblem tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiProblem(429, "Too Many Requests", detail, retryAfterSeconds);
    }

    public static ApiProblem unavailable(String detail, long retryAfterSeconds) {
        return new ApiProblem(503, "Service Unavailable", detail, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Seconds for the {@code Retry-After} header, or null when the answer carries none. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem() {
        return Problem.of(status, title, detail());
    }
}
