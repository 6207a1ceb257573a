package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * More than a thousand generated bad requests against the packaged gateway (see
 * {@link HostileRequests}): none is accepted, none is answered 500, nothing is stored, and the
 * gateway stays ready.
 */
class HostileInputIT {

    private static final int ROUNDS = 30;
    private static final int CONCURRENCY = 8;

    @Test
    void refusesEveryHostileRequestWithAClearAnswerAndStaysHealthy() throws Exception {
        try (ChaosRig rig = new ChaosRig()) {
            SimulatedAccount klaviyo = rig.simulator.createAccount();
            String listId = klaviyo.createList("Hostile");
            ChaosRig.Gateway gateway = rig.startGateway(Map.of("GATEWAY_SYNC_TICK", "1s"));
            String secret = "whsec-hostile-" + Long.toHexString(System.nanoTime());
            String account = rig.connect(gateway, "{\"name\":\"Hostile\",\"apiKey\":\"" + klaviyo.apiKey()
                    + "\",\"webhookSecret\":\"" + secret + "\"}");
            ChaosRig.await("the list is discovered", Duration.ofSeconds(60),
                    () -> rig.count("select count(*) from klaviyo_list") == 1);
            List<HostileRequests.Hostile> hostile = new HostileRequests(gateway.base(), ChaosRig.field(account, "id"),
                    klaviyo.klaviyoAccountId(), secret, ChaosRig.field(account, "flowToken"), listId, 20261128).generate(ROUNDS);
            assertTrue(hostile.size() >= 1_000, hostile.size() + " requests");

            Map<String, List<Integer>> answers = sendAll(rig, hostile);

            List<String> accepted = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            answers.forEach((what, statuses) -> statuses.forEach(status -> {
                if (status < 400) {
                    accepted.add(what + " → " + status);
                } else if (status >= 500) {
                    failed.add(what + " → " + status);
                }
            }));
            assertEquals(List.of(), accepted, "hostile requests accepted");
            assertEquals(List.of(), failed, "hostile requests answered 5xx");
            assertEquals(0, rig.count("select count(*) from webhook_event"), "nothing hostile is stored");
            assertEquals(1, rig.count("select count(*) from account"), "no account was created");
            HttpResponse<String> ready = rig.send(HttpRequest.newBuilder(URI.create(gateway.management() + "/q/health/ready")));
            assertEquals(200, ready.statusCode(), ready.body());
        }
    }

    /** Every request, CONCURRENCY at a time; the statuses by what was wrong with the request. */
    private static Map<String, List<Integer>> sendAll(ChaosRig rig, List<HostileRequests.Hostile> hostile) throws Exception {
        Map<String, List<Integer>> answers = new TreeMap<>();
        Semaphore slots = new Semaphore(CONCURRENCY);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (HostileRequests.Hostile request : hostile) {
            slots.acquire();
            sent.add(rig.http.sendAsync(request.request(), HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        slots.release();
                        int status = failure != null ? 599 : response.statusCode();
                        if (response != null && response.body().contains("Exception")) {
                            status = 598;
                        }
                        String what = failure == null ? request.what() : request.what() + " (" + failure.getCause() + ")";
                        synchronized (answers) {
                            answers.computeIfAbsent(what, ignored -> new ArrayList<>()).add(status);
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        return answers;
    }
}
