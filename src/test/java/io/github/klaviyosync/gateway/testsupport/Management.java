package io.github.klaviyosync.gateway.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface of the application under test: {@code /q/health}, {@code /q/metrics},
 * {@code /q/openapi} and {@code /q/swagger-ui} are served there only, on the port
 * {@link FreeHttpPortResource} chose.
 */
public final class Management {

    private Management() {
    }

    /** A rest-assured request to the management port. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** The Prometheus scrape, as a monitoring system reads it. */
    public static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of a metric's samples in the scrape (every label set), 0 when it has none. */
    public static double metric(String name) {
        double sum = 0;
        for (String line : metrics().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
