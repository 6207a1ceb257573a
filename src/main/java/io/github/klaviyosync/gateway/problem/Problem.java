package io.github.klaviyosync.gateway.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of every error answer (RFC 9457 problem details), served as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "An error answer (RFC 9457). Never carries a class name, a stack trace or a secret.")
public record Problem(
        @Schema(description = "A URI naming the kind of problem; absent means about:blank") String type,
        @Schema(description = "Short summary of the status", example = "Not Found", required = true) String title,
        @Schema(description = "The HTTP status", example = "404", required = true) int status,
        @Schema(description = "What went wrong, in words meant for the dashboard's user",
                example = "no account 0f8fad5b-d9cb-469f-a165-70867728950e") String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem(null, title, status, detail);
    }
}
