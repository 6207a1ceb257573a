package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.jboss.logging.Logger;

/**
 * Runs the simulator alone, for benchmarks outside the application: Klaviyo's API at {@code /api/...}
 * and the admin API at {@code /__admin/...}. Options: {@code --port=8089} (0: any free port) and
 * {@code --seed=42}. Point the gateway at it with {@code GATEWAY_KLAVIYO_BASE_URL=http://localhost:8089}.
 */
public final class SimulatorMain {

    private static final Logger LOG = Logger.getLogger(SimulatorMain.class);

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(option(args, "port", "8089"));
        long seed = Long.parseLong(option(args, "seed", Long.toString(System.nanoTime())));
        KlaviyoSimulator simulator = new KlaviyoSimulator(seed);
        Vertx vertx = Vertx.vertx();
        Router root = Router.router(vertx);
        root.route("/__admin/*").subRouter(simulator.adminRouter(vertx));
        root.route("/*").subRouter(simulator.router(vertx));
        vertx.createHttpServer()
                .requestHandler(root)
                .listen(port)
                .onSuccess(server -> LOG.infof("Klaviyo simulator listening on port %d (seed %d)", server.actualPort(), seed))
                .onFailure(failure -> {
                    LOG.errorf(failure, "Klaviyo simulator could not listen on port %d", port);
                    vertx.close();
                });
    }

    private static String option(String[] args, String name, String fallback) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return fallback;
    }
}
