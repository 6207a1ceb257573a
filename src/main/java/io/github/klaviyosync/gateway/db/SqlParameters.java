package io.github.klaviyosync.gateway.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Values bound to native statements in the forms they expect: a batch as one JSON parameter (a
 * whole page in one statement), a duration as seconds for {@code make_interval(secs => ...)}.
 */
@ApplicationScoped
public class SqlParameters {

    private final ObjectMapper json;

    SqlParameters(ObjectMapper json) {
        this.json = json;
    }

    /** {@code value} as JSON text, for a {@code jsonb} parameter. */
    public String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code duration} in seconds, with its milliseconds. */
    public static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
