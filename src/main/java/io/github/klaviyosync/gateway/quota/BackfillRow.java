package io.github.klaviyosync.gateway.quota;

import java.util.UUID;

/** A running backfill as its run records it: pages and profiles so far, and its list's size as Klaviyo gave it. */
record BackfillRow(UUID accountId, String klaviyoAccountId, String klaviyoListId, int pages, int profilesSeen,
        int expectedProfiles) {
}
