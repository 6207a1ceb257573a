package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import java.util.List;

/**
 * A call Klaviyo answered with an error, with its {@code errors[]} when it sent them. Messages name
 * the operation and status, never the API key.
 */
public class KlaviyoException extends RuntimeException {

    private final int status;
    private final List<KlaviyoError> errors;

    public KlaviyoException(String message, int status, List<KlaviyoError> errors) {
        super(message);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public KlaviyoException(String message, int status, List<KlaviyoError> errors, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The HTTP status, or 0 when no answer came (connection failure, timeout). */
    public int status() {
        return status;
    }

    public List<KlaviyoError> errors() {
        return errors;
    }

    /** The first error's detail, the most useful words Klaviyo gives. */
    public String detail() {
        return errors.isEmpty() ? null : errors.get(0).detail();
    }
}
