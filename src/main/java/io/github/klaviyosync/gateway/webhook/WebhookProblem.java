package io.github.klaviyosync.gateway.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document ({@code application/problem+json}) for the webhook package's answers. */
@RegisterForReflection
public record WebhookProblem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new WebhookProblem("about:blank", title, status, detail))
                .build();
    }
}
