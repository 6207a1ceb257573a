package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The pieces of the AOT build agree without building it (that takes JDK 25 and the training run):
 * the aot profile packages with Quarkus's AOT cache support into the directory its training run
 * (AotTrainingIT) writes the cache to, the default build's bytecode stays Java 17, and
 * Dockerfile.aot copies that directory and starts with the cache file the training run writes, and
 * bench/startup-memory.sh measures the image's JVM flags.
 */
class AotBuildTest {

    private static Map<String, String> properties;
    private static Map<String, String> aotProperties;
    private static Map<String, String> aotFailsafeProperties;

    @BeforeAll
    static void readPom() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        properties = children(child(project, "properties"));
        Element aot = null;
        NodeList profiles = child(project, "profiles").getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if ("aot".equals(child(profile, "id").getTextContent())) {
                aot = profile;
            }
        }
        assertTrue(aot != null, "pom.xml has no aot profile");
        aotProperties = children(child(aot, "properties"));
        aotFailsafeProperties = new HashMap<>();
        NodeList plugins = aot.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("maven-failsafe-plugin".equals(child(plugin, "artifactId").getTextContent())) {
                aotFailsafeProperties = children((Element) plugin.getElementsByTagName("systemPropertyVariables").item(0));
            }
        }
    }

    @Test
    void theProfilePackagesWithTheJdkCacheIntoItsOwnDirectoryAndTrainsIntoIt() {
        assertEquals("true", aotProperties.get("quarkus.package.jar.aot.enabled"));
        assertEquals("aot", aotProperties.get("quarkus.package.jar.aot.type"), "AUTO would choose AppCDS for Java 17 bytecode");
        String directory = aotProperties.get("quarkus.package.output-directory");
        assertEquals("${project.build.directory}/" + directory, aotProperties.get("aot.app.dir"));
        assertEquals("${aot.app.dir}", aotFailsafeProperties.get("gateway.app.dir"));
        assertEquals("${aot.app.dir}/app.aot", aotFailsafeProperties.get("gateway.aot.cache"));
        assertEquals("17", properties.get("maven.compiler.release"), "the default build runs on JDK 17");
        assertTrue(!aotProperties.containsKey("maven.compiler.release"), "the aot build's bytecode is the default build's");
    }

    @Test
    void theImageCopiesTheTrainedDirectoryAndStartsWithItsCache() throws Exception {
        String dockerfile = Files.readString(AotImageFlags.DOCKERFILE);
        String built = "target/" + aotProperties.get("quarkus.package.output-directory");
        Map<String, String> copies = new HashMap<>();
        Matcher copy = Pattern.compile("(?m)^COPY --chown=185 (\\S+) (\\S+)$").matcher(dockerfile);
        while (copy.find()) {
            copies.put(copy.group(1), copy.group(2));
        }
        for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertTrue(copies.containsKey(built + "/" + part), "Dockerfile.aot does not copy " + built + "/" + part);
        }
        assertEquals("/deployments/", copies.get(built + "/app.aot"), "Dockerfile.aot does not copy the cache");
        assertTrue(dockerfile.contains(AotImageFlags.IMAGE_CACHE), "the image does not start with the cache");
        assertTrue(dockerfile.contains("-jar /deployments/quarkus-run.jar"), "the image does not start the copied jar");
        Matcher base = Pattern.compile("(?m)^FROM \\S+:(\\d+)\\.").matcher(dockerfile);
        assertTrue(base.find() && Integer.parseInt(base.group(1)) >= 25, "the cache needs a JDK 25 runtime");
    }

    /**
     * bench/startup-memory.sh measures the image's JVM as it starts: its default flags are the
     * image's -XX flags (C1 alone among them), with -XX:MaxRAM standing in for the container's limit.
     */
    @Test
    void theStartUpBenchmarkRunsTheImageFlags() throws Exception {
        List<String> imageFlags = AotImageFlags.image();
        assertTrue(imageFlags.contains("-XX:TieredStopAtLevel=1"), "the image compiles with C1 alone: " + imageFlags);

        String bench = Files.readString(Path.of("bench", "startup-memory.sh"));
        Matcher benchOpts = Pattern.compile("(?m)^AOT_JAVA_OPTS=\"\\$\\{AOT_JAVA_OPTS:-(.*)}\"$").matcher(bench);
        assertTrue(benchOpts.find(), "bench/startup-memory.sh has no default AOT_JAVA_OPTS");
        List<String> benchFlags = AotImageFlags.xxFlags(benchOpts.group(1));
        assertTrue(benchFlags.remove("-XX:MaxRAM=768m"), "the bench stands in for a 768 MiB container: " + benchFlags);
        assertEquals(imageFlags, benchFlags, "the bench does not measure the image's flags");
    }

    /**
     * The cache holds what the training JVM loaded and linked: it records with the image's
     * collector and compilers, and without the method profiles that C1 alone never reads.
     */
    @Test
    void theTrainingRunRecordsWithTheImageFlagsAndNoProfiles() throws Exception {
        List<String> recording = AotImageFlags.recording();
        assertTrue(recording.containsAll(AotImageFlags.image()), "the training JVM is not the image's: " + recording);
        assertTrue(recording.containsAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")), recording.toString());
        int unlock = recording.indexOf("-XX:+UnlockDiagnosticVMOptions");
        assertTrue(unlock >= 0 && unlock < recording.indexOf("-XX:-AOTRecordTraining"), "the method profiles are recorded: " + recording);
        assertTrue(recording.stream().noneMatch(flag -> flag.startsWith("-XX:AOTCache")), "the training run maps no cache: " + recording);
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static Map<String, String> children(Element parent) {
        Map<String, String> values = new HashMap<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                values.put(element.getTagName(), element.getTextContent().trim());
            }
        }
        return values;
    }
}
