package io.github.klaviyosync.gateway.status;

import io.github.klaviyosync.gateway.problem.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Documents what every {@code /api} call shares, whichever package declares it: the bearer token
 * ({@code security: bearer}) and the answers any call can give (401 without a valid token, 500,
 * and 503 while the database is unreachable), each a problem+json.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {

    static final String SCHEME = "bearer";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Map<String, String> SHARED_ANSWERS = Map.of(
            "401", "No bearer token, or not one of GATEWAY_API_TOKENS",
            "500", "An unexpected error (logged; the answer names no cause)",
            "503", "The database is unreachable; retry after Retry-After seconds");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .description("One of the tokens of GATEWAY_API_TOKENS, as Authorization: Bearer <token>"));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.equals("/api") || path.startsWith("/api/")) {
                item.getOperations().values().forEach(ApiDocumentFilter::addShared);
            }
        });
    }

    private static void addShared(Operation operation) {
        operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME));
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        SHARED_ANSWERS.forEach((status, description) -> {
            if (!responses.hasAPIResponse(status)) {
                responses.addAPIResponse(status, problem(description));
            }
        });
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(PROBLEM_REF))));
    }

}
