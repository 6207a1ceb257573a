package io.github.klaviyosync.gateway.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.deployment.ChaosRig.SeenRequest;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM during a backfill, at the process level: two packaged gateways on one database, the one
 * syncing a 40,000-member list (A) is sent SIGTERM while four clients push flow webhooks at it, from
 * before the signal until A has stopped listening. Every push is answered 202 (and stored) or 503,
 * never with a reset or an empty reply; A stops after a page commit and releases its leases and
 * claims, so the other (B) fetches the list's next page, and applies the pushes, well before A's
 * 60-second lease (or its 5-minute claims) could have expired. The clients behave as Klaviyo does
 * with a 503: they send again after its {@code Retry-After}.
 */
class SigtermHandoverIT {

    private static final int MEMBERS = 40_000;
    private static final int PUSH_CLIENTS = 4;
    /** Far longer than the takeover this test allows: B can only take over in time if A released the lease. */
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    private static final Pattern PROFILE_ID = Pattern.compile("\"profile_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern RESUMED_AT = Pattern.compile("greater-or-equal\\(joined_group_at,([^)]+)\\)");
    private static final Instant FIRST_JOINED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aTerminatedReplicaAnswersEveryPushStopsAtAPageAndHandsItsListOverAtOnce() throws Exception {
        try (ChaosRig rig = new ChaosRig()) {
            SimulatedAccount klaviyo = rig.simulator.createAccount();
            String listId = klaviyo.createList("Handed over");
            klaviyo.addMembers(listId, MEMBERS, FIRST_JOINED);
            List<ChaosRig.Gateway> gateways = startBoth(rig);
            String account = rig.connect(gateways.get(0), "{\"name\":\"Handover\",\"apiKey\":\"" + klaviyo.apiKey() + "\"}");
            ChaosRig.await("the backfill commits pages", Duration.ofSeconds(60),
                    () -> rig.count("select coalesce(max(pages), 0) from sync_run where kind = 'members' and status = 'running'") >= 3);
            String holder = (String) rig.rows("select lease_owner from klaviyo_list").get(0)[0];
            int a = holder.startsWith("replica-a-") ? 0 : 1;
            ChaosRig.Gateway syncing = gateways.get(a);
            String other = a == 0 ? "b" : "a";

            Pushers pushers = new Pushers(rig, syncing.base() + "/webhooks/klaviyo/" + ChaosRig.field(account, "id") + "/flow",
                    ChaosRig.field(account, "flowToken"), listId, klaviyo.memberIds(listId));
            pushers.start();
            Thread.sleep(500);
            Instant terminated = Instant.now();
            syncing.app().terminate();
            syncing.app().awaitExit(Duration.ofSeconds(40));
            Instant exited = Instant.now();
            pushers.stopAndWait();

            assertEquals(List.of(), pushers.broken(), "pushes answered with a reset or an empty reply (SIGTERM at " + terminated
                    + ", exit at " + exited + ")\n" + syncing.app().output());
            assertTrue(pushers.accepted().size() >= PUSH_CLIENTS, "pushes were accepted meanwhile: " + pushers.summary());
            Set<String> stored = storedPushes(rig);
            Set<String> lost = new HashSet<>(pushers.accepted());
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, "pushes answered 202 but not stored");

            SeenRequest firstOfB = awaitFirstPageRequest(rig, other, listId, exited.plus(TAKEOVER));
            assertTrue(firstOfB.at().isAfter(terminated), "B fetched the list only after the SIGTERM");
            // B cannot follow A's page link (it names A's base URL): it resumes at the list's member cursor.
            Matcher resumedAt = RESUMED_AT.matcher(URLDecoder.decode(firstOfB.pathAndQuery(), StandardCharsets.UTF_8));
            assertTrue(resumedAt.find() && Instant.parse(resumedAt.group(1).replace("+00:00", "Z")).isAfter(FIRST_JOINED),
                    "B resumed where A's committed pages ended, not from the start: " + firstOfB.pathAndQuery());
            assertEquals(1, rig.count("select count(*) from sync_run where kind = 'members' and status = 'failed'"
                    + " and error like 'stopped after a committed page%'"), () -> "A's run ended at a page boundary; runs: "
                    + runs(rig) + "\n" + syncing.app().output());
            String output = syncing.app().output();
            assertTrue(output.contains("list leases released") && output.contains("account claims released"), output);
            ChaosRig.await("B applies every stored push, A's claims included", TAKEOVER,
                    () -> rig.count("select count(*) from webhook_event where status <> 'applied'") == 0);
            System.out.printf("handover: %s; B's first page request %d ms after A's exit (A exited %d ms after SIGTERM)%n",
                    pushers.summary(), Duration.between(exited, firstOfB.at()).toMillis(),
                    Duration.between(terminated, exited).toMillis());
        }
    }

    /** Both replicas, started side by side; each names its leases and Klaviyo calls (a or b). */
    private static List<ChaosRig.Gateway> startBoth(ChaosRig rig) throws Exception {
        List<CompletableFuture<ChaosRig.Gateway>> starting = new ArrayList<>();
        for (String replica : List.of("a", "b")) {
            Map<String, String> variables = Map.of(
                    "HOSTNAME", "replica-" + replica,
                    "GATEWAY_KLAVIYO_BASE_URL", rig.klaviyoUrlFor(replica),
                    "GATEWAY_SYNC_TICK", "1s",
                    "GATEWAY_SYNC_LEASE_DURATION", LEASE.toSeconds() + "s");
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return rig.startGateway(variables);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<ChaosRig.Gateway> gateways = new ArrayList<>();
        for (CompletableFuture<ChaosRig.Gateway> gateway : starting) {
            gateways.add(gateway.get());
        }
        return gateways;
    }

    private static SeenRequest awaitFirstPageRequest(ChaosRig rig, String replica, String listId, Instant deadline)
            throws InterruptedException {
        String members = "/api/lists/" + listId + "/profiles";
        while (true) {
            Optional<SeenRequest> first = rig.seenRequests().stream()
                    .filter(request -> request.replica().equals(replica) && request.pathAndQuery().startsWith(members))
                    .findFirst();
            if (first.isPresent()) {
                return first.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("replica " + replica + " sent no page request of the list within " + TAKEOVER
                        + " of the other's exit");
            }
            Thread.sleep(50);
        }
    }

    /** The profile ids of every stored flow push. */
    private static Set<String> storedPushes(ChaosRig rig) {
        Set<String> ids = new HashSet<>();
        for (Object[] row : rig.rows("select payload from webhook_event where kind = 'flow'")) {
            Matcher matcher = PROFILE_ID.matcher((String) row[0]);
            if (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    /** Clients pushing flow webhooks one after another, each push a new profile, until told to stop. */
    private static final class Pushers {

        private final ChaosRig rig;
        private final String url;
        private final String token;
        private final String listId;
        private final List<String> profileIds;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> unavailable = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        /** Each push names another of {@code profileIds} (members Klaviyo knows, so each push can be applied). */
        Pushers(ChaosRig rig, String url, String token, String listId, List<String> profileIds) {
            this.rig = rig;
            this.url = url;
            this.token = token;
            this.listId = listId;
            this.profileIds = profileIds;
        }

        void start() {
            for (int client = 0; client < PUSH_CLIENTS; client++) {
                Thread thread = new Thread(this::push, "pusher-" + client);
                threads.add(thread);
                thread.start();
            }
        }

        /**
         * Pushes until stopped; after a 503 a client waits its {@code Retry-After}, as Klaviyo waits before
         * retrying a webhook; once the gateway no longer listens (connection refused) a client stops.
         */
        private void push() {
            for (int n = next.getAndIncrement(); !stop.get() && n < profileIds.size(); n = next.getAndIncrement()) {
                String profileId = profileIds.get(n);
                String body = "{\"list_id\":\"" + listId + "\",\"profile_id\":\"" + profileId + "\",\"email\":\"" + profileId.toLowerCase()
                        + "@example.com\",\"phone_number\":\"\",\"first_name\":\"Pushed\",\"last_name\":\"" + n + "\"}";
                try {
                    HttpResponse<String> answer = rig.send(HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .header("X-Gateway-Token", token)
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
                    switch (answer.statusCode()) {
                        case 202 -> accepted.add(profileId);
                        case 503 -> {
                            unavailable.add(profileId);
                            // As Klaviyo does: a refused webhook is sent again later, not at once.
                            Thread.sleep(Duration.ofSeconds(Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1"))).toMillis());
                        }
                        default -> broken.add(profileId + ": " + answer.statusCode() + " " + answer.body());
                    }
                } catch (ConnectException notListening) {
                    refused.add(profileId);
                    return;
                } catch (IOException e) {
                    broken.add(profileId + " at " + Instant.now() + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stopAndWait() throws InterruptedException {
            stop.set(true);
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(40).toMillis());
            }
        }

        List<String> accepted() {
            return List.copyOf(accepted);
        }

        List<String> broken() {
            return List.copyOf(broken);
        }

        String summary() {
            return accepted.size() + " pushes answered 202, " + unavailable.size() + " 503, "
                    + refused.size() + " refused once the gateway had stopped listening";
        }
    }

    /** The member sync runs as the database holds them, for a failure's message. */
    private static String runs(ChaosRig rig) {
        return rig.rows("select owner, status, pages, error from sync_run where kind = 'members' order by started_at").stream()
                .map(Arrays::toString)
                .toList()
                .toString();
    }
}
