package io.github.klaviyosync.gateway.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Keyset paging, as Klaviyo's cursors behave: items in the order of a sort key, ties by id, and a
 * page is the first items after the last one served. Items that change or appear during a walk land
 * at their new place instead of shifting the others, so nothing that stays put is skipped or repeated.
 */
final class Keyset<T> {

    /** Where an item sits in the order; keys compare as strings (see {@link #timeKey}). */
    record Position(String key, String id) {
        static final Comparator<Position> ORDER = Comparator.comparing(Position::key).thenComparing(Position::id);
    }

    private static final int TIME_KEY_DIGITS = 12;

    private record Placed<T>(Position position, T item) {
    }

    private final Function<T, String> key;
    private final Function<T, String> id;
    private final boolean descending;
    private final Comparator<Position> order;

    Keyset(Function<T, String> key, Function<T, String> id, boolean descending) {
        this.key = key;
        this.id = id;
        this.descending = descending;
        this.order = descending ? Position.ORDER.reversed() : Position.ORDER;
    }

    /** A time as a key that sorts as the time does (whole seconds, like Klaviyo's); null sorts first. */
    static String timeKey(Instant time) {
        if (time == null) {
            return "";
        }
        String seconds = Long.toString(time.getEpochSecond());
        return "0".repeat(Math.max(0, TIME_KEY_DIGITS - seconds.length())) + seconds;
    }

    /** A text as a key; null sorts first. */
    static String textKey(String text) {
        return text == null ? "" : text;
    }

    boolean descending() {
        return descending;
    }

    Position position(T item) {
        return new Position(key.apply(item), id.apply(item));
    }

    /** Whether {@code item} comes after {@code after} in this order (always, when {@code after} is null). */
    boolean isAfter(T item, Position after) {
        return after == null || order.compare(position(item), after) > 0;
    }

    /**
     * Up to {@code limit} items of {@code candidates} that {@code keep} accepts, after {@code after},
     * in order: one pass that holds at most {@code limit} items, whatever the number of candidates.
     */
    List<T> page(Iterable<T> candidates, Position after, Predicate<T> keep, int limit) {
        Comparator<Placed<T>> placedOrder = Comparator.comparing(Placed::position, order);
        PriorityQueue<Placed<T>> firstOnes = new PriorityQueue<>(placedOrder.reversed());
        for (T item : candidates) {
            Position position = position(item);
            if (after != null && order.compare(position, after) <= 0 || !keep.test(item)) {
                continue;
            }
            firstOnes.add(new Placed<>(position, item));
            if (firstOnes.size() > limit) {
                firstOnes.poll();
            }
        }
        List<Placed<T>> page = new ArrayList<>(firstOnes);
        page.sort(placedOrder);
        return page.stream().map(Placed::item).toList();
    }
}
