package io.github.klaviyosync.gateway.simulator;

import java.util.List;
import java.util.Map;

/**
 * A check of every request the simulator receives and every JSON answer it sends, against an
 * outside description of Klaviyo's API (the tests install one driven by Klaviyo's OpenAPI spec).
 * A request that breaks it is refused with 400 {@code spec_violation}; an answer that breaks it is
 * replaced by 500 {@code spec_violation}; both are logged and counted, so no test passes over them.
 */
public interface ContractCheck {

    /** Problems with a request to {@code operationId}; empty when it follows the contract. */
    List<String> checkRequest(String operationId, Map<String, List<String>> query, Map<String, String> headers);

    /** Problems with an answer of {@code operationId}; empty when it follows the contract. */
    List<String> checkResponse(String operationId, int status, String body);

    /** Accepts everything. */
    ContractCheck NONE = new ContractCheck() {
        @Override
        public List<String> checkRequest(String operationId, Map<String, List<String>> query, Map<String, String> headers) {
            return List.of();
        }

        @Override
        public List<String> checkResponse(String operationId, int status, String body) {
            return List.of();
        }
    };
}
