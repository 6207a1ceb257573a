package io.github.klaviyosync.gateway.member;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Member pages committed in one statement: their people, one row each (a person on two of the pages
 * as the later page has them, as committing the pages one after the other would leave them), how
 * many pages and profiles they held, and the link after the last page (null when it was the last).
 */
record PageBatch(List<KlaviyoPerson> people, int pages, int seen, String nextUrl) {

    /** One page as fetched: its people, and the link to the next page (null on the last). */
    record Fetched(List<KlaviyoPerson> people, String nextUrl) {
    }

    /** The pages, in the order they were fetched. */
    static PageBatch of(List<Fetched> pages) {
        Fetched last = pages.get(pages.size() - 1);
        if (pages.size() == 1) {
            return new PageBatch(last.people(), 1, last.people().size(), last.nextUrl());
        }
        // A profile id twice in one INSERT .. ON CONFLICT would fail the statement.
        Map<String, KlaviyoPerson> byProfile = new LinkedHashMap<>();
        int seen = 0;
        for (Fetched page : pages) {
            for (KlaviyoPerson person : page.people()) {
                byProfile.put(person.profileId(), person);
            }
            seen += page.people().size();
        }
        return new PageBatch(new ArrayList<>(byProfile.values()), pages.size(), seen, last.nextUrl());
    }
}
