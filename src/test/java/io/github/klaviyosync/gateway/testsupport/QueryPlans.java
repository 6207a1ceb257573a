package io.github.klaviyosync.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL's plans as {@code explain (format json)} prints them, for tests that check how a statement runs. */
public final class QueryPlans {

    private QueryPlans() {
    }

    /** The top node of the plan that {@code explain}, an {@code explain (format json) ...} statement, prints. */
    public static JsonNode top(Statement statement, String explain) throws SQLException, IOException {
        try (ResultSet result = statement.executeQuery(explain)) {
            result.next();
            return new ObjectMapper().readTree(result.getString(1)).get(0).get("Plan");
        }
    }

    /** The node and every node under it, depth first. */
    public static List<JsonNode> nodes(JsonNode plan) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(plan, nodes);
        return nodes;
    }

    /** The scans of {@code relation} in the plan, depth first. */
    public static List<JsonNode> scans(JsonNode plan, String relation) {
        return nodes(plan).stream()
                .filter(node -> relation.equals(node.path("Relation Name").asText()) && node.path("Node Type").asText().contains("Scan"))
                .toList();
    }

    /**
     * Rows that the scans of {@code relation} in an {@code explain (analyze)} plan looked at, every loop
     * counted: those they returned and those their filters and rechecks removed.
     */
    public static long rowsRead(JsonNode plan, String relation) {
        return scans(plan, relation).stream()
                .mapToLong(node -> Math.round((node.path("Actual Rows").asDouble() + node.path("Rows Removed by Filter").asDouble()
                        + node.path("Rows Removed by Index Recheck").asDouble()) * node.path("Actual Loops").asDouble(1)))
                .sum();
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        for (JsonNode child : node.path("Plans")) {
            collect(child, into);
        }
    }
}
