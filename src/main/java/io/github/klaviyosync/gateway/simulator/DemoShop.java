package io.github.klaviyosync.gateway.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's Klaviyo account in the simulator: a shop with a few lists and a few thousand members,
 * then growing from {@code startedAt} on: people join every step, a new list appears every so often,
 * and now and then someone unsubscribes from texts (or subscribes again) or changes their number;
 * one such consent change in ten is one Klaviyo makes without moving the profile's {@code updated}.
 * Everything follows from the seed and the clock, so a fresh simulator after a live reload, given the
 * same start, replays the same lists, profiles and profile ids up to now: the gateway finds in it
 * what it already knows.
 */
final class DemoShop {

    /** The shop's name in Klaviyo and the demo account's name in the gateway. */
    static final String NAME = "Demo Outdoor Co.";
    /** A list that a flow pushes to before it exists in Klaviyo: the push fails until the list appears. */
    static final String LATE_LIST_ID = "DmLate";

    private static final String API_KEY = "pk_demo_00000000000000000000000000";
    private static final String KLAVIYO_ACCOUNT_ID = "DEMO01";
    private static final long SEED = 20_261_128L;
    private static final Duration HISTORY = Duration.ofDays(30);
    private static final Duration VIP_WINDOW = Duration.ofDays(1);
    private static final String LATE_LIST_NAME = "Holiday pop-up";
    private static final String NEW_LIST_PREFIX = "DmNew";
    private static final List<String> NEW_LIST_NAMES = List.of("Back in stock alerts", "Loyalty club",
            "Store opening: Portland", "Black Friday early access", "Trail running club", "Gift guide");
    private static final int NEW_LIST_MEMBERS = 25;
    private static final int MOST_JOINING_PER_STEP = 3;
    /** One in this many joining members is also pushed by a flow webhook. */
    private static final int PUSHED_ONE_IN = 3;
    /** Every this many pop-up members is also on the VIP list. */
    private static final int VIP_ONE_IN = 6;
    /** One step in this many also changes someone who is already in the shop. */
    private static final int CHANGE_ONE_STEP_IN = 4;

    private record SeededList(String id, String name, int members) {
    }

    private static final SeededList POP_UP = new SeededList("DmPop1", "Website pop-up", 1500);
    private static final List<SeededList> SEEDED = List.of(POP_UP,
            new SeededList("DmChk2", "Checkout SMS opt-in", 900),
            new SeededList("DmGiv3", "Spring giveaway", 600));
    private static final SeededList VIP = new SeededList("DmVip4", "VIP early access", POP_UP.members() / VIP_ONE_IN);

    /** A member who joined a list; {@code pushed}: a flow webhook tells the gateway too. */
    record Joined(String listId, String profileId, SimProfile person, Instant joinedAt, boolean pushed) {
    }

    /** A list that appeared; {@code announcedByPush}: its first member is pushed, so the gateway learns of it at once. */
    record NewList(String listId, String name, boolean announcedByPush) {
    }

    /** A profile that changed: {@code what} says how ({@code sms consent}, {@code email consent}, {@code phone}, {@code sms consent, updated kept}). */
    record Changed(String profileId, String what, Instant at) {
    }

    /** What happened in the shop since the last advance. */
    record Progress(List<Joined> joined, List<NewList> newLists, List<Changed> changed) {
    }

    private final SimulatedAccount account;
    private final DemoPeople people = new DemoPeople(SEED);
    private final Random random = new Random(SEED);
    /** Changes draw from their own sequence, so that who joins where stays what it was before changes existed. */
    private final Random changes = new Random(SEED + 1);
    private final Instant startedAt;
    private final Duration step;
    private final Duration newListEvery;
    private final Joined lateMember;
    private final List<String> listIds = new ArrayList<>();
    private final List<String> profileIds = new ArrayList<>();
    private long stepsTaken;
    private int listsMade;

    /** Creates and seeds the shop in {@code simulator}; its history ends at {@code startedAt}. */
    DemoShop(KlaviyoSimulator simulator, Instant startedAt, Duration step, Duration newListEvery) {
        this.account = simulator.createAccount(API_KEY, KLAVIYO_ACCOUNT_ID, NAME, SEED);
        this.startedAt = startedAt;
        this.step = step;
        this.newListEvery = newListEvery;
        Instant start = startedAt.minus(HISTORY);
        for (SeededList list : SEEDED) {
            List<String> members = seedMembers(list, start, startedAt);
            if (list == POP_UP) {
                seedVip(members, start, startedAt);
            }
        }
        SimProfile late = people.next();
        this.lateMember = new Joined(LATE_LIST_ID, account.addProfile(late, startedAt), late, startedAt, true);
    }

    String apiKey() {
        return API_KEY;
    }

    /** A person on no list yet, whom a flow pushes to the late list while Klaviyo does not have it. */
    Joined lateMember() {
        return lateMember;
    }

    /** Takes every step and makes every list due by {@code now}, in the order of their times. */
    synchronized Progress advanceTo(Instant now) {
        List<Joined> joined = new ArrayList<>();
        List<NewList> newLists = new ArrayList<>();
        List<Changed> changed = new ArrayList<>();
        while (true) {
            Instant nextStep = startedAt.plus(step.multipliedBy(stepsTaken + 1));
            Instant nextList = listsMade <= NEW_LIST_NAMES.size() ? startedAt.plus(newListEvery.multipliedBy(listsMade + 1)) : null;
            if (nextList != null && !nextList.isAfter(now) && !nextList.isAfter(nextStep)) {
                newLists.add(makeList(nextList, joined));
            } else if (!nextStep.isAfter(now)) {
                takeStep(nextStep, joined, changed);
            } else {
                return new Progress(joined, newLists, changed);
            }
        }
    }

    /** The late list comes first and is left to discovery; after it, every other list is announced by a push. */
    private NewList makeList(Instant at, List<Joined> joined) {
        listsMade++;
        boolean late = listsMade == 1;
        String id = late ? LATE_LIST_ID : NEW_LIST_PREFIX + (listsMade - 1);
        String name = late ? LATE_LIST_NAME : NEW_LIST_NAMES.get(listsMade - 2);
        boolean announcedByPush = !late && listsMade % 2 == 1;
        account.createList(id, name, at);
        listIds.add(id);
        for (int i = 0; i < NEW_LIST_MEMBERS; i++) {
            joined.add(join(id, at, announcedByPush && i == 0));
        }
        return new NewList(id, name, announcedByPush);
    }

    private void takeStep(Instant at, List<Joined> joined, List<Changed> changed) {
        stepsTaken++;
        int count = 1 + random.nextInt(MOST_JOINING_PER_STEP);
        for (int i = 0; i < count; i++) {
            String listId = listIds.get(random.nextInt(listIds.size()));
            joined.add(join(listId, at, random.nextInt(PUSHED_ONE_IN) == 0));
        }
        if (changes.nextInt(CHANGE_ONE_STEP_IN) == 0) {
            changed.add(change(profileIds.get(changes.nextInt(profileIds.size())), at));
        }
    }

    /**
     * Mostly a text consent given or withdrawn (email, for someone without a phone), sometimes a new
     * number; one consent change in ten without moving updated.
     */
    private Changed change(String profileId, Instant at) {
        int kind = changes.nextInt(10);
        SimProfile person = account.person(profileId);
        if (person.phone() == null) {
            String consent = SimProfile.SUBSCRIBED.equals(person.emailConsent()) ? SimProfile.UNSUBSCRIBED : SimProfile.SUBSCRIBED;
            account.changeConsent(profileId, null, consent, at);
            return new Changed(profileId, "email consent", at);
        }
        if (kind < 3) {
            String phone = String.format(Locale.ROOT, "+1415%03d%04d", 200 + changes.nextInt(800), changes.nextInt(10_000));
            account.updateProfile(profileId, current -> current.phone(phone), at);
            return new Changed(profileId, "phone", at);
        }
        String consent = SimProfile.SUBSCRIBED.equals(person.smsConsent()) ? SimProfile.UNSUBSCRIBED : SimProfile.SUBSCRIBED;
        if (kind == 9) {
            account.changeConsentKeepingUpdated(profileId, consent, null, at);
            return new Changed(profileId, "sms consent, updated kept", at);
        }
        account.changeConsent(profileId, consent, null, at);
        return new Changed(profileId, "sms consent", at);
    }

    private Joined join(String listId, Instant at, boolean pushed) {
        SimProfile person = people.next();
        String profileId = account.addProfile(person, at);
        account.addMember(listId, profileId, at);
        profileIds.add(profileId);
        return new Joined(listId, profileId, person, at, pushed);
    }

    private List<String> seedMembers(SeededList list, Instant start, Instant end) {
        account.createList(list.id(), list.name(), start);
        listIds.add(list.id());
        long spacing = Duration.between(start, end).toSeconds() / list.members();
        List<String> members = new ArrayList<>(list.members());
        for (int i = 0; i < list.members(); i++) {
            Instant joinedAt = start.plusSeconds(spacing * i + random.nextLong(spacing));
            String profileId = account.addProfile(people.next(), joinedAt);
            account.addMember(list.id(), profileId, joinedAt);
            members.add(profileId);
        }
        profileIds.addAll(members);
        return members;
    }

    /** The VIP list, opened a day before the history ends, for some of the pop-up's people. */
    private void seedVip(List<String> popUpMembers, Instant start, Instant end) {
        account.createList(VIP.id(), VIP.name(), start);
        listIds.add(VIP.id());
        for (int i = 0; i < popUpMembers.size(); i += VIP_ONE_IN) {
            Instant joinedAt = end.minusSeconds(1 + random.nextLong(VIP_WINDOW.toSeconds()));
            account.addMember(VIP.id(), popUpMembers.get(i), joinedAt);
        }
    }
}
