package io.github.klaviyosync.gateway.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.klaviyosync.gateway.simulator.ContractCheck;
import java.util.List;
import java.util.Map;

/**
 * The contract check the tests install in the simulator: requests against the operation's
 * parameters, enums, page-size bounds and filters in Klaviyo's spec, answers against its response
 * schemas. Stateless and thread-safe.
 */
public final class KlaviyoContract implements ContractCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KlaviyoSpec spec;
    private final SpecRequestChecker requests;
    private final SpecSchemaValidator schemas;

    public KlaviyoContract(KlaviyoSpec spec) {
        this.spec = spec;
        this.requests = new SpecRequestChecker(spec);
        this.schemas = new SpecSchemaValidator(spec);
    }

    public static KlaviyoContract load() {
        return new KlaviyoContract(KlaviyoSpec.load());
    }

    @Override
    public List<String> checkRequest(String operationId, Map<String, List<String>> query, Map<String, String> headers) {
        return requests.check(operationId, query, headers);
    }

    @Override
    public List<String> checkResponse(String operationId, int status, String body) {
        if (spec.operation(operationId) == null) {
            return List.of("operation " + operationId + " is not in the spec extract");
        }
        JsonNode schema = spec.responseSchema(operationId, status);
        if (schema == null) {
            return List.of("the spec declares no answer " + status + " for " + operationId);
        }
        try {
            return schemas.validate(JSON.readTree(body), schema);
        } catch (JsonProcessingException e) {
            return List.of("the answer is not JSON");
        }
    }
}
