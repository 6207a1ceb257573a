package io.github.klaviyosync.gateway.deployment;

import static io.github.klaviyosync.gateway.deployment.RenderedManifests.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.klaviyosync.gateway.deployment.ContractVariables.Variable;
import io.github.klaviyosync.gateway.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.quarkus.vertx.http.runtime.management.ManagementConfig;
import io.smallrye.config.WithDefault;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests, rendered and schema-checked offline, agree with the application they
 * start: probe and metrics paths answer on the running app's management port, ports match, every
 * variable is one of CONTRACT.md's and every required one is provided, the pod is hardened, drains
 * within its grace period and is fenced by a NetworkPolicy. Each variant (base and overlays) is
 * checked, so an overlay cannot break what the base gets right.
 */
@QuarkusTest
class K8sManifestsTest {

    private static final String SECRET_TEMPLATE = "base/secret.example.yaml";
    private static final Set<String> KINDS = Set.of("Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler",
            "NetworkPolicy");
    /** The pod label that admits a scraper to the management port (documented in networkpolicy.yaml). */
    private static final String MONITORING_LABEL = "app.kubernetes.io/component";

    private static RenderedManifests manifests;
    private static Map<String, Variable> contract;

    @BeforeAll
    static void render() throws Exception {
        manifests = RenderedManifests.render();
        contract = ContractVariables.load();
    }

    @Test
    void baseAndBothOverlaysRenderToTheSameSetOfValidObjects() {
        assertEquals(Set.of("base", "overlays/dev", "overlays/prod"), manifests.variants.keySet());
        manifests.variants.forEach((variant, objects) -> {
            Set<String> kinds = new HashSet<>();
            objects.forEach(obj -> kinds.add(obj.path("kind").asText()));
            assertEquals(KINDS, kinds, variant);
            assertEquals(KINDS.size(), objects.size(), variant);
        });
        assertEquals(Set.of(SECRET_TEMPLATE), manifests.files.keySet(), "YAML outside every kustomization");
    }

    @Test
    void probeAndMetricsPathsAnswerOnTheApplication() {
        Set<String> paths = new TreeSet<>();
        manifests.variants.forEach((variant, objects) -> {
            JsonNode container = container(objects);
            assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText(), variant);
            assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText(), variant);
            paths.add(container.at("/startupProbe/httpGet/path").asText());
            paths.add(container.at("/livenessProbe/httpGet/path").asText());
            paths.add(container.at("/readinessProbe/httpGet/path").asText());
            JsonNode annotations = podTemplate(objects).at("/metadata/annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), variant);
            paths.add(annotations.path("prometheus.io/path").asText());
        });
        for (String path : paths) {
            assertTrue(path.startsWith("/q/"), path);
            assertEquals(200, Management.given().when().get(path).statusCode(), path + " is named by the manifests but does not answer 200");
        }
    }

    @Test
    void portsAreTheApplicationsHttpAndManagementPortsAndProbesUseTheManagementOne() throws Exception {
        int appPort = defaultPort(VertxHttpConfig.class, "quarkus.http.port");
        int managementPort = defaultPort(ManagementConfig.class, "quarkus.management.port");
        assertEquals(Integer.toString(appPort), contract.get("QUARKUS_HTTP_PORT").defaultValue());
        assertEquals(Integer.toString(managementPort), contract.get("QUARKUS_MANAGEMENT_PORT").defaultValue());
        manifests.variants.forEach((variant, objects) -> {
            JsonNode container = container(objects);
            assertEquals(Map.of("http", appPort, "management", managementPort), namedPorts(container.path("ports"), "containerPort"), variant);
            JsonNode config = only(objects, "ConfigMap").path("data");
            assertEquals(Integer.toString(appPort), config.path("QUARKUS_HTTP_PORT").asText(appPort + ""), variant);
            assertEquals(Integer.toString(managementPort), config.path("QUARKUS_MANAGEMENT_PORT").asText(managementPort + ""), variant);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertEquals("management", container.at("/" + probe + "/httpGet/port").asText(), variant + " " + probe);
            }
            assertEquals(Integer.toString(managementPort), podTemplate(objects).at("/metadata/annotations/prometheus.io~1port").asText(), variant);
            JsonNode servicePorts = only(objects, "Service").at("/spec/ports");
            Map<String, String> targets = new TreeMap<>();
            servicePorts.forEach(port -> targets.put(port.path("name").asText(), port.path("targetPort").asText()));
            assertEquals(Map.of("http", "http", "management", "management"), targets,
                    variant + ": the Service names each port and sends it to the container port of that name");
        });
    }

    @Test
    void thePodDrainsWithinItsGracePeriod() {
        ShutdownSettings drain = ShutdownSettings.load();
        manifests.variants.forEach((variant, objects) -> {
            JsonNode pod = podTemplate(objects).path("spec");
            JsonNode preStop = container(objects).at("/lifecycle/preStop");
            assertTrue(preStop.has("sleep"), variant + ": a preStop pause (sleep action) lets routing catch up before SIGTERM");
            long pause = preStop.at("/sleep/seconds").asLong();
            assertTrue(pause > 0, variant + ": preStop sleeps " + pause + " s");
            long drained = pause + drain.delay().toSeconds() + drain.timeout().toSeconds();
            long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
            assertTrue(grace > drained, variant + ": terminationGracePeriodSeconds " + grace + " must exceed preStop " + pause
                    + " s + shutdown delay " + drain.delay() + " + timeout " + drain.timeout());
        });
    }

    @Test
    void theNetworkPolicyAdmitsWebhooksFromAnywhereAndTheManagementPortOnlyToMonitoring() {
        manifests.variants.forEach((variant, objects) -> {
            JsonNode policy = only(objects, "NetworkPolicy").path("spec");
            assertTrue(matches(policy.at("/podSelector/matchLabels"), podTemplate(objects).at("/metadata/labels")), variant);
            assertEquals(List.of("Ingress", "Egress"), texts(policy.path("policyTypes")), variant);
            boolean httpFromAnywhere = false;
            boolean managementFromMonitoring = false;
            for (JsonNode rule : policy.path("ingress")) {
                List<String> ports = texts(rule.path("ports").findValues("port"));
                assertFalse(ports.isEmpty(), variant + ": an ingress rule without ports opens every port: " + rule);
                assertTrue(Set.of("http", "management").containsAll(ports), variant + ": ingress to " + ports);
                if (ports.contains("management")) {
                    assertFalse(ports.contains("http"), variant + ": the management port shares a rule with http: " + rule);
                    assertFalse(rule.path("from").isEmpty(), variant + ": the management port is open to all");
                    for (JsonNode peer : rule.path("from")) {
                        boolean monitoringPods = "monitoring".equals(peer.at("/podSelector/matchLabels").path(MONITORING_LABEL).asText());
                        // An overlay may admit the nodes' range for probes on a plugin that filters them.
                        boolean nodeRange = peer.has("ipBlock") && !peer.at("/ipBlock/cidr").asText().endsWith("/0");
                        assertTrue(monitoringPods || nodeRange, variant + ": a peer neither monitoring pods nor a node range: " + peer);
                    }
                    managementFromMonitoring = true;
                } else {
                    httpFromAnywhere |= rule.path("from").isEmpty();
                }
            }
            assertTrue(httpFromAnywhere, variant + ": Klaviyo's webhooks reach the http port from anywhere");
            assertTrue(managementFromMonitoring, variant + ": monitoring reaches the management port");
            Set<String> egress = new TreeSet<>();
            for (JsonNode rule : policy.path("egress")) {
                assertFalse(rule.path("ports").isEmpty(), variant + ": an egress rule without ports opens every port: " + rule);
                rule.path("ports").forEach(port -> egress.add(port.path("port").asText() + "/" + port.path("protocol").asText("TCP")));
            }
            assertEquals(Set.of("5432/TCP", "53/UDP", "53/TCP", "443/TCP"), egress, variant + ": PostgreSQL, DNS and Klaviyo's HTTPS");
        });
    }

    @Test
    void everyVariableIsAContractVariableAndEveryRequiredOneIsProvided() {
        Set<String> secretKeys = secretTemplateKeys();
        manifests.variants.forEach((variant, objects) -> {
            Set<String> provided = new TreeSet<>(secretKeys);
            only(objects, "ConfigMap").path("data").fieldNames().forEachRemaining(provided::add);
            container(objects).path("env").forEach(env -> provided.add(env.path("name").asText()));
            for (String name : provided) {
                assertTrue(contract.containsKey(name), () -> variant + ": " + name + " is not a variable of CONTRACT.md");
            }
            for (Variable variable : contract.values()) {
                if (variable.requiredInProd()) {
                    assertTrue(provided.contains(variable.name()), () -> variant + " does not provide " + variable.name());
                }
            }
        });
    }

    @Test
    void theBaseConfigMapCarriesTheContractDefaults() {
        JsonNode data = only(manifests.variants.get("base"), "ConfigMap").path("data");
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        for (Variable variable : contract.values()) {
            if (variable.defaultValue() != null) {
                assertEquals(variable.defaultValue(), data.path(variable.name()).asText(null), variable.name());
            }
        }
        assertEquals(contract.values().stream().filter(v -> v.defaultValue() != null).count(), names.size(), names.toString());
    }

    @Test
    void secretsStayInTheSecretAndItsTemplateHoldsNoUsableValue() {
        Set<String> secretKeys = secretTemplateKeys();
        for (String secret : List.of("GATEWAY_API_TOKENS", "GATEWAY_CRYPTO_KEY", "QUARKUS_DATASOURCE_PASSWORD")) {
            assertTrue(secretKeys.contains(secret), secret);
            manifests.variants.forEach((variant, objects) ->
                    assertFalse(only(objects, "ConfigMap").path("data").has(secret), variant + " puts " + secret + " in a ConfigMap"));
        }
        JsonNode template = only(manifests.files.get(SECRET_TEMPLATE), "Secret");
        String key = template.at("/stringData/GATEWAY_CRYPTO_KEY").asText();
        assertFalse(isBase64Of32Bytes(key), "the template's crypto key would work: a published key protects nothing");
        manifests.variants.forEach((variant, objects) -> {
            List<String> sources = new ArrayList<>();
            container(objects).path("envFrom").forEach(source -> sources.add(source.fieldNames().next() + "/"
                    + source.elements().next().path("name").asText()));
            assertEquals(List.of("configMapRef/" + only(objects, "ConfigMap").at("/metadata/name").asText(),
                    "secretRef/" + template.at("/metadata/name").asText()), sources, variant);
        });
    }

    @Test
    void thePodRunsHardened() {
        manifests.variants.forEach((variant, objects) -> {
            JsonNode pod = podTemplate(objects).path("spec");
            JsonNode container = container(objects);
            JsonNode security = container.path("securityContext");
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean() || security.path("runAsNonRoot").asBoolean(), variant);
            assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText(
                    security.at("/seccompProfile/type").asText()), variant);
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), variant);
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), variant);
            assertTrue(security.at("/capabilities/drop").toString().contains("\"ALL\""), variant);
            assertFalse(security.path("privileged").asBoolean(false), variant);
            String tmpVolume = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals("/tmp")) {
                    tmpVolume = mount.path("name").asText();
                }
            }
            assertTrue(tmpVolume != null, variant + ": /tmp must be writable under a read-only root");
            boolean emptyDir = false;
            for (JsonNode volume : pod.path("volumes")) {
                emptyDir |= volume.path("name").asText().equals(tmpVolume) && volume.has("emptyDir");
            }
            assertTrue(emptyDir, variant + ": /tmp must be an emptyDir volume");
        });
    }

    @Test
    void resourcesAreRequestedAndBoundedAndTheImageIsPinned() {
        manifests.variants.forEach((variant, objects) -> {
            JsonNode resources = container(objects).path("resources");
            for (String resource : List.of("cpu", "memory")) {
                double request = quantity(resources.at("/requests/" + resource).asText());
                double limit = quantity(resources.at("/limits/" + resource).asText());
                assertTrue(request > 0 && request <= limit, variant + " " + resource + ": " + resources);
            }
            String image = container(objects).path("image").asText();
            assertTrue(image.matches(".+:[\\w][\\w.-]*") && !image.endsWith(":latest"), variant + " image " + image);
        });
    }

    @Test
    void selectorsAndScalingTargetsFindTheDeployment() {
        manifests.variants.forEach((variant, objects) -> {
            JsonNode deployment = only(objects, "Deployment");
            JsonNode labels = podTemplate(objects).at("/metadata/labels");
            assertTrue(matches(deployment.at("/spec/selector/matchLabels"), labels), variant);
            assertTrue(matches(only(objects, "Service").at("/spec/selector"), labels), variant);
            assertTrue(matches(only(objects, "PodDisruptionBudget").at("/spec/selector/matchLabels"), labels), variant);
            JsonNode target = only(objects, "HorizontalPodAutoscaler").at("/spec/scaleTargetRef");
            assertEquals("Deployment", target.path("kind").asText(), variant);
            assertEquals(deployment.at("/metadata/name").asText(), target.path("name").asText(), variant);
        });
    }

    @Test
    void replicaBoundsAgreeAndDrainsCanProceed() {
        manifests.variants.forEach((variant, objects) -> {
            int replicas = only(objects, "Deployment").at("/spec/replicas").asInt();
            JsonNode hpa = only(objects, "HorizontalPodAutoscaler").path("spec");
            int min = hpa.path("minReplicas").asInt();
            assertTrue(min <= replicas && replicas <= hpa.path("maxReplicas").asInt(), variant);
            JsonNode budget = only(objects, "PodDisruptionBudget").path("spec");
            assertNotEquals(budget.has("minAvailable"), budget.has("maxUnavailable"), variant + ": one of minAvailable, maxUnavailable");
            if (budget.has("minAvailable")) {
                assertTrue(budget.path("minAvailable").asInt() < min, variant + ": a budget of every replica blocks node drains");
            }
        });
        assertTrue(only(manifests.variants.get("base"), "HorizontalPodAutoscaler").at("/spec/minReplicas").asInt() >= 2);
        assertTrue(only(manifests.variants.get("overlays/prod"), "HorizontalPodAutoscaler").at("/spec/minReplicas").asInt() >= 2);
    }

    @Test
    void overlaysChangeOnlyWhatTheyAreFor() {
        List<JsonNode> base = manifests.variants.get("base");
        List<JsonNode> dev = manifests.variants.get("overlays/dev");
        List<JsonNode> prod = manifests.variants.get("overlays/prod");
        assertEquals(1, only(dev, "Deployment").at("/spec/replicas").asInt());
        assertTrue(quantity(container(dev).at("/resources/limits/memory").asText())
                < quantity(container(base).at("/resources/limits/memory").asText()));
        assertNotEquals(only(base, "ConfigMap").at("/data/GATEWAY_SYNC_MEMBER_INTERVAL"), only(dev, "ConfigMap").at("/data/GATEWAY_SYNC_MEMBER_INTERVAL"));
        assertTrue(quantity(container(prod).at("/resources/limits/memory").asText())
                > quantity(container(base).at("/resources/limits/memory").asText()));
        assertNotEquals(container(base).path("image"), container(prod).path("image"));
        // Patches merge into the container instead of replacing it: probes and hardening survive.
        assertEquals(container(base).path("securityContext"), container(prod).path("securityContext"));
        assertEquals(container(base).path("readinessProbe"), container(dev).path("readinessProbe"));
    }

    /**
     * The port the packaged application listens on when its variable is not set: Quarkus's default
     * ({@code port()} of the config interface), which application.properties must leave alone (tests
     * run on random ports instead).
     */
    private static int defaultPort(Class<?> config, String property) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = K8sManifestsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        for (String key : properties.stringPropertyNames()) {
            assertFalse(key.replaceFirst("^%[\\w,-]+\\.", "").equals(property), "application.properties sets " + key);
        }
        return Integer.parseInt(config.getMethod("port").getAnnotation(WithDefault.class).value());
    }

    private static Map<String, Integer> namedPorts(JsonNode ports, String field) {
        Map<String, Integer> named = new TreeMap<>();
        ports.forEach(port -> named.put(port.path("name").asText(), port.path(field).asInt()));
        return named;
    }

    private static List<String> texts(Iterable<JsonNode> nodes) {
        List<String> texts = new ArrayList<>();
        nodes.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static JsonNode podTemplate(List<JsonNode> objects) {
        return only(objects, "Deployment").at("/spec/template");
    }

    private static JsonNode container(List<JsonNode> objects) {
        JsonNode containers = podTemplate(objects).at("/spec/containers");
        assertEquals(1, containers.size(), "one container per pod");
        return containers.get(0);
    }

    private static Set<String> secretTemplateKeys() {
        JsonNode secret = only(manifests.files.get(SECRET_TEMPLATE), "Secret");
        Set<String> keys = new TreeSet<>();
        secret.path("stringData").fieldNames().forEachRemaining(keys::add);
        secret.path("data").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        List<String> mismatches = new ArrayList<>();
        selector.fields().forEachRemaining(entry -> {
            if (!entry.getValue().equals(labels.path(entry.getKey()))) {
                mismatches.add(entry.getKey());
            }
        });
        return mismatches.isEmpty();
    }

    private static boolean isBase64Of32Bytes(String value) {
        try {
            return Base64.getDecoder().decode(value).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A Kubernetes quantity in base units (cores, bytes) for the suffixes the manifests use. */
    static double quantity(String text) {
        if (text.isEmpty()) {
            throw new AssertionError("missing quantity");
        }
        Map<String, Double> suffixes = Map.of("m", 1e-3, "Ki", 1024d, "Mi", 1024d * 1024, "Gi", 1024d * 1024 * 1024,
                "k", 1e3, "M", 1e6, "G", 1e9);
        String number = text.replaceAll("[A-Za-z]+$", "");
        String suffix = text.substring(number.length());
        if (!suffix.isEmpty() && !suffixes.containsKey(suffix)) {
            throw new AssertionError("unknown quantity suffix in " + text);
        }
        return Double.parseDouble(number) * suffixes.getOrDefault(suffix, 1d);
    }
}
