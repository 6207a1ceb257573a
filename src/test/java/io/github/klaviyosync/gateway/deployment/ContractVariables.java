package io.github.klaviyosync.gateway.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables of CONTRACT.md, read from the copy of its table in the test resources
 * ({@code contract/environment-variables.md}).
 */
final class ContractVariables {

    /** One variable: its default (null when it has none) and whether the prod profile needs it. */
    record Variable(String name, String defaultValue, boolean requiredInProd) {
    }

    private static final String RESOURCE = "/contract/environment-variables.md";
    private static final Pattern NAME = Pattern.compile("`([A-Z_][A-Z0-9_]*)`");

    private ContractVariables() {
    }

    /** The variables by name, in the table's order. */
    static Map<String, Variable> load() {
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (String line : lines()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String defaultCell = cells[3].trim().replace("`", "");
            boolean required = defaultCell.equals("required in prod");
            String defaultValue = required || defaultCell.isEmpty() ? null : defaultCell;
            for (String name : names(cells[1])) {
                variables.put(name, new Variable(name, defaultValue, required));
            }
        }
        if (variables.isEmpty()) {
            throw new IllegalStateException(RESOURCE + " holds no variable table");
        }
        return variables;
    }

    /** `QUARKUS_DATASOURCE_USERNAME` / `_PASSWORD` names two variables: the suffix replaces the last word. */
    private static List<String> names(String cell) {
        List<String> names = new ArrayList<>();
        Matcher matcher = NAME.matcher(cell);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.startsWith("_") && !names.isEmpty()) {
                String previous = names.get(names.size() - 1);
                name = previous.substring(0, previous.lastIndexOf('_')) + name;
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> lines() {
        try (InputStream in = ContractVariables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
