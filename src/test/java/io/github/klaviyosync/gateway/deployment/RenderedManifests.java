package io.github.klaviyosync.gateway.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The manifests under {@code k8s/} as Kubernetes would receive them: each kustomization rendered
 * and every object validated against the Kubernetes schemas by {@code src/test/k8s/validate.mjs}
 * (Node). Rendering fails loudly, never skips: without Node or its packages there is no result.
 */
final class RenderedManifests {

    static final Path MANIFESTS = Path.of("k8s");
    private static final Path VALIDATOR = Path.of("src", "test", "k8s");
    private static final long TIMEOUT_SECONDS = 120;

    /** Objects of each variant ("base", "overlays/dev", ...) and of each file no kustomization uses. */
    final Map<String, List<JsonNode>> variants;
    final Map<String, List<JsonNode>> files;

    private RenderedManifests(Map<String, List<JsonNode>> variants, Map<String, List<JsonNode>> files) {
        this.variants = variants;
        this.files = files;
    }

    static RenderedManifests render() throws IOException, InterruptedException {
        if (!Files.isDirectory(VALIDATOR.resolve("node_modules").resolve("kubernetes-models"))) {
            throw new AssertionError(VALIDATOR.resolve("node_modules") + " is missing: the Maven build runs `npm ci` there "
                    + "(generate-test-resources); by hand: (cd src/test/k8s && npm ci)");
        }
        Path output = Files.createTempFile("k8s-rendered-", ".json");
        Path errors = Files.createTempFile("k8s-problems-", ".txt");
        try {
            Process node = startNode(output, errors);
            if (!node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor();
                throw new AssertionError("the manifest validator did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String problems = Files.readString(errors, StandardCharsets.UTF_8);
            if (node.exitValue() != 0) {
                throw new AssertionError("the Kubernetes manifests do not validate:\n" + problems);
            }
            JsonNode result = new ObjectMapper().readTree(output.toFile());
            return new RenderedManifests(groups(result.get("variants")), groups(result.get("files")));
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    private static Process startNode(Path output, Path errors) throws IOException {
        try {
            return new ProcessBuilder("node", VALIDATOR.resolve("validate.mjs").toString(), MANIFESTS.toString())
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("`node` (20 or newer) is needed to validate the Kubernetes manifests: " + e.getMessage(), e);
        }
    }

    private static Map<String, List<JsonNode>> groups(JsonNode node) {
        Map<String, List<JsonNode>> groups = new TreeMap<>();
        node.fields().forEachRemaining(entry -> {
            List<JsonNode> objects = new ArrayList<>();
            entry.getValue().forEach(objects::add);
            groups.put(entry.getKey(), List.copyOf(objects));
        });
        return groups;
    }

    /** The one object of this kind in the variant. */
    static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> matches = objects.stream().filter(obj -> kind.equals(obj.path("kind").asText())).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + ", found " + matches.size());
        }
        return matches.get(0);
    }
}
