package io.github.klaviyosync.gateway.changes;

import io.github.klaviyosync.gateway.changes.api.ChangeView;
import java.util.UUID;

/** A change as read from the feed: its position, its account (for filtering a stream) and its answer. */
record FeedEntry(ChangeCursor cursor, UUID accountId, ChangeView view) {
}
