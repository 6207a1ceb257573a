package io.github.klaviyosync.gateway.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's Klaviyo account in the simulator: a shop with a few lists and a few thousand members,
 * seeded the same way every time (fixed key, list ids and seed), so a fresh simulator after a live
 * reload holds what the gateway already knows. It then grows: members join, new lists appear.
 */
final class DemoShop {

    /** The shop's name in Klaviyo and the demo account's name in the gateway. */
    static final String NAME = "Demo Outdoor Co.";
    /** A list that a flow pushes to before it exists in Klaviyo: its push fails until it does. */
    static final String LATE_LIST_ID = "DmLate";

    private static final String API_KEY = "pk_demo_00000000000000000000000000";
    private static final String KLAVIYO_ACCOUNT_ID = "DEMO01";
    private static final long SEED = 20_261_128L;
    private static final Duration HISTORY = Duration.ofDays(30);
    private static final Duration VIP_WINDOW = Duration.ofDays(1);
    private static final String NEW_LIST_PREFIX = "DmNew";
    private static final List<String> NEW_LIST_NAMES = List.of("Back in stock alerts", "Loyalty club",
            "Store opening: Portland", "Black Friday early access", "Trail running club", "Gift guide");
    private static final int NEW_LIST_MEMBERS = 25;
    /** One in this many joining members is also pushed by a flow webhook. */
    private static final int PUSHED_ONE_IN = 3;
    /** Every this many pop-up members is also on the VIP list. */
    private static final int VIP_ONE_IN = 6;

    private record SeededList(String id, String name, int members) {
    }

    private static final SeededList POP_UP = new SeededList("DmPop1", "Website pop-up", 1500);
    private static final List<SeededList> SEEDED = List.of(POP_UP,
            new SeededList("DmChk2", "Checkout SMS opt-in", 900),
            new SeededList("DmGiv3", "Spring giveaway", 600));
    private static final SeededList VIP = new SeededList("DmVip4", "VIP early access", POP_UP.members() / VIP_ONE_IN);

    /** A member who just joined a list; {@code pushed}: a flow webhook tells the gateway too. */
    record Joined(String listId, String profileId, SimProfile person, boolean pushed) {
    }

    /** A list that just appeared, and its first member when a flow push brings the list in. */
    record NewList(String listId, String name, Joined pushedMember) {
    }

    private final SimulatedAccount account;
    private final DemoPeople people = new DemoPeople(SEED);
    private final Random random = new Random(SEED);
    private int listsMade;

    /** Creates and seeds the shop in {@code simulator}; history ends at the start of {@code today}'s UTC day. */
    DemoShop(KlaviyoSimulator simulator, Instant today) {
        this.account = simulator.createAccount(API_KEY, KLAVIYO_ACCOUNT_ID, NAME, SEED);
        Instant end = today.truncatedTo(ChronoUnit.DAYS);
        Instant start = end.minus(HISTORY);
        for (SeededList list : SEEDED) {
            account.createList(list.id(), list.name(), start);
            List<String> members = seedMembers(list, start, end);
            if (list == POP_UP) {
                seedVip(members, start, end);
            }
        }
    }

    String apiKey() {
        return API_KEY;
    }

    /** Lists the gateway knows (id to name) that a fresh simulator lacks are made again, so their syncs go on. */
    synchronized void restore(Map<String, String> knownLists, Instant now) {
        knownLists.forEach((id, name) -> account.createList(id, name, now));
        listsMade = (int) account.listIds().stream().filter(id -> id.startsWith(NEW_LIST_PREFIX)).count();
    }

    /** {@code count} new people join random lists now. */
    synchronized List<Joined> membersJoin(int count, Instant now) {
        List<String> listIds = account.listIds();
        List<Joined> joined = new ArrayList<>(count);
        for (int i = 0; i < count && !listIds.isEmpty(); i++) {
            String listId = listIds.get(random.nextInt(listIds.size()));
            joined.add(join(listId, now, random.nextInt(PUSHED_ONE_IN) == 0));
        }
        return joined;
    }

    /** How many people join in one step: 1 to {@code most}. */
    synchronized int nextJoinCount(int most) {
        return 1 + random.nextInt(most);
    }

    /**
     * A new list with a few members, or null once every demo list exists. The late list comes first and
     * is left to discovery; after it, every other list is announced at once by a flow push instead.
     */
    synchronized NewList newList(Instant now) {
        if (!account.hasList(LATE_LIST_ID)) {
            return fill(LATE_LIST_ID, "Holiday pop-up", now, false);
        }
        if (listsMade >= NEW_LIST_NAMES.size()) {
            return null;
        }
        String name = NEW_LIST_NAMES.get(listsMade);
        listsMade++;
        return fill(NEW_LIST_PREFIX + listsMade, name, now, listsMade % 2 == 0);
    }

    /** A person who is on no list yet, for a push to the late list while Klaviyo does not have it. */
    synchronized Joined lateMember(Instant now) {
        SimProfile person = people.next();
        return new Joined(LATE_LIST_ID, account.addProfile(person, now), person, true);
    }

    private NewList fill(String listId, String name, Instant now, boolean announcedByPush) {
        account.createList(listId, name, now);
        Joined first = join(listId, now, announcedByPush);
        for (int i = 1; i < NEW_LIST_MEMBERS; i++) {
            join(listId, now, false);
        }
        return new NewList(listId, name, announcedByPush ? first : null);
    }

    private Joined join(String listId, Instant now, boolean pushed) {
        SimProfile person = people.next();
        String profileId = account.addProfile(person, now);
        account.addMember(listId, profileId, now);
        return new Joined(listId, profileId, person, pushed);
    }

    private List<String> seedMembers(SeededList list, Instant start, Instant end) {
        long step = Duration.between(start, end).toSeconds() / list.members();
        List<String> profileIds = new ArrayList<>(list.members());
        for (int i = 0; i < list.members(); i++) {
            Instant joinedAt = start.plusSeconds(step * i + random.nextLong(step));
            String profileId = account.addProfile(people.next(), joinedAt);
            account.addMember(list.id(), profileId, joinedAt);
            profileIds.add(profileId);
        }
        return profileIds;
    }

    /** The VIP list opened a day before the history ends, for some of the pop-up's people. */
    private void seedVip(List<String> popUpMembers, Instant start, Instant end) {
        account.createList(VIP.id(), VIP.name(), start);
        for (int i = 0; i < popUpMembers.size(); i += VIP_ONE_IN) {
            Instant joinedAt = end.minusSeconds(1 + random.nextLong(VIP_WINDOW.toSeconds()));
            account.addMember(VIP.id(), popUpMembers.get(i), joinedAt);
        }
    }
}
