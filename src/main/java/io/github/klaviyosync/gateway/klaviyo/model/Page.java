package io.github.klaviyosync.gateway.klaviyo.model;

import java.util.List;

/**
 * One page of a paged Klaviyo collection and the link to the next ({@code links.next}; null on the
 * last page). Callers checkpoint {@code nextUrl} with the page they commit, to resume from it.
 */
public record Page<T>(List<T> items, String nextUrl) {

    public boolean isLast() {
        return nextUrl == null;
    }
}
