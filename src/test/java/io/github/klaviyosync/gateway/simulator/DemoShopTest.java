package io.github.klaviyosync.gateway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's shop is a function of its start and the clock: a reload replays exactly what the gateway already saw. */
class DemoShopTest {

    private static final Instant STARTED = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(3);
    private static final Duration NEW_LIST_EVERY = Duration.ofSeconds(75);

    @Test
    void replaysTheSameListsAndProfileIdsIntoAFreshSimulator() {
        Instant now = STARTED.plus(Duration.ofMinutes(4));
        KlaviyoSimulator first = new KlaviyoSimulator(1);
        KlaviyoSimulator afterReload = new KlaviyoSimulator(2);
        DemoShop shop = new DemoShop(first, STARTED, STEP, NEW_LIST_EVERY);
        DemoShop replayed = new DemoShop(afterReload, STARTED, STEP, NEW_LIST_EVERY);

        shop.advanceTo(now);
        replayed.advanceTo(now);

        Map<String, List<String>> members = members(first, shop);
        assertEquals(members, members(afterReload, replayed));
        assertEquals(shop.lateMember().profileId(), replayed.lateMember().profileId());
        assertTrue(members.values().stream().mapToInt(List::size).sum() > 3000, "a few thousand members");
    }

    @Test
    void stepByStepEndsWhereOneBigStepEnds() {
        KlaviyoSimulator live = new KlaviyoSimulator();
        KlaviyoSimulator caughtUp = new KlaviyoSimulator();
        DemoShop liveShop = new DemoShop(live, STARTED, STEP, NEW_LIST_EVERY);
        DemoShop caughtUpShop = new DemoShop(caughtUp, STARTED, STEP, NEW_LIST_EVERY);
        Instant end = STARTED.plus(Duration.ofMinutes(3));
        List<DemoShop.Joined> joinedLive = new ArrayList<>();

        for (Instant now = STARTED; !now.isAfter(end); now = now.plusSeconds(1)) {
            joinedLive.addAll(liveShop.advanceTo(now).joined());
        }
        List<DemoShop.Joined> joinedAtOnce = caughtUpShop.advanceTo(end).joined();

        assertEquals(joinedAtOnce, joinedLive);
        assertEquals(members(caughtUp, caughtUpShop), members(live, liveShop));
        assertTrue(joinedLive.stream().anyMatch(DemoShop.Joined::pushed), "some members are also pushed as flow webhooks");
        assertTrue(joinedLive.stream().anyMatch(joined -> !joined.pushed()), "the others are left to the poll");
    }

    @Test
    void newListsComeLateListFirstThenAlternateBetweenDiscoveryAndAPush() {
        KlaviyoSimulator simulator = new KlaviyoSimulator();
        DemoShop shop = new DemoShop(simulator, STARTED, STEP, NEW_LIST_EVERY);
        assertTrue(!simulator.account(shop.apiKey()).hasList(DemoShop.LATE_LIST_ID), "the late list is missing at first");

        DemoShop.Progress progress = shop.advanceTo(STARTED.plus(NEW_LIST_EVERY.multipliedBy(20)));

        List<String> lists = progress.newLists().stream()
                .map(list -> list.listId() + (list.announcedByPush() ? " by push" : " for discovery"))
                .toList();
        assertEquals(List.of("DmLate for discovery", "DmNew1 for discovery", "DmNew2 by push", "DmNew3 for discovery",
                "DmNew4 by push", "DmNew5 for discovery", "DmNew6 by push"), lists, "then no more");
        DemoShop.Joined announcer = progress.joined().stream().filter(joined -> joined.listId().equals("DmNew2"))
                .findFirst().orElseThrow();
        assertTrue(announcer.pushed(), "the first member of a list announced by push is pushed");
        assertTrue(simulator.account(shop.apiKey()).memberIds("DmNew2").size() >= 25, "a new list starts with members");
    }

    @Test
    void nowAndThenSomeoneChangesTheSameWayInEveryReplay() {
        Instant now = STARTED.plus(Duration.ofMinutes(10));
        KlaviyoSimulator first = new KlaviyoSimulator(1);
        KlaviyoSimulator afterReload = new KlaviyoSimulator(2);
        DemoShop shop = new DemoShop(first, STARTED, STEP, NEW_LIST_EVERY);
        DemoShop replayed = new DemoShop(afterReload, STARTED, STEP, NEW_LIST_EVERY);

        List<DemoShop.Changed> changed = shop.advanceTo(now).changed();
        List<DemoShop.Changed> changedAgain = replayed.advanceTo(now).changed();

        assertEquals(changed, changedAgain);
        assertTrue(changed.size() > 20, "about one step in four: " + changed.size());
        SimulatedAccount account = first.account(shop.apiKey());
        DemoShop.Changed consent = changed.stream().filter(change -> change.what().equals("sms consent")).reduce((a, b) -> b).orElseThrow();
        assertEquals(consent.at(), account.profileUpdated(consent.profileId()));
        DemoShop.Changed quiet = changed.stream().filter(change -> change.what().equals("sms consent, updated kept"))
                .findFirst().orElseThrow();
        assertTrue(account.profileUpdated(quiet.profileId()).isBefore(quiet.at()) || changed.stream()
                .anyMatch(change -> change.profileId().equals(quiet.profileId()) && !change.what().equals(quiet.what())),
                "a quiet change leaves updated where it was");
        assertTrue(changed.stream().anyMatch(change -> change.what().equals("phone")));
        assertEquals(account.person(consent.profileId()), afterReload.account(replayed.apiKey()).person(consent.profileId()));
    }

    private static Map<String, List<String>> members(KlaviyoSimulator simulator, DemoShop shop) {
        SimulatedAccount account = simulator.account(shop.apiKey());
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String listId : account.listIds()) {
            members.put(listId, account.memberIds(listId));
        }
        return members;
    }
}
