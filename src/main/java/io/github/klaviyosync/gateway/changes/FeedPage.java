package io.github.klaviyosync.gateway.changes;

import java.util.List;

/**
 * One read of the feed: the changes after the reader's position (in order; those of a purged account
 * are left out), where the next read starts, whether the read was cut by its limit (more may follow at
 * once), and whether committed changes wait behind a transaction still in flight.
 */
record FeedPage(List<FeedEntry> entries, ChangeCursor next, boolean full, boolean waiting) {
}
