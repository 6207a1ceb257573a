package io.github.klaviyosync.gateway.sync;

import static io.github.klaviyosync.gateway.testsupport.TestDatabase.execute;
import static io.github.klaviyosync.gateway.testsupport.TestDatabase.row;

import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small reads and nudges the sync tests share. */
final class SyncTestSupport {

    private SyncTestSupport() {
    }

    /** An account registered in the gateway, and its lists in Klaviyo, not yet known to the gateway. */
    record Seeded(UUID accountId, List<String> listIds, SimulatedAccount klaviyo) {
    }

    /** An account with {@code count} lists of {@code members} each in Klaviyo, registered with nothing due. */
    static Seeded registeredWithLists(TestAccounts accounts, int count, int members) {
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        List<String> listIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String listId = klaviyo.createList("Form " + i);
            klaviyo.addMembers(listId, members, Instant.parse("2026-11-01T00:00:00Z"));
            listIds.add(listId);
        }
        return new Seeded(accounts.register(klaviyo, null, null, false), listIds, klaviyo);
    }

    /** The account's lists synced at least once. */
    static long syncedLists(UUID accountId) {
        return (long) row("select count(*) as n from klaviyo_list where account_id = ? and last_synced_at is not null",
                accountId).get("n");
    }

    static List<String> addSmsMembers(SimulatedAccount klaviyo, String listId, int count, Instant firstJoined, boolean sameSecond) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SimProfile person = SimProfile.sms(TestSecrets.phone()).names("Member", Integer.toString(i));
            ids.add(klaviyo.addMember(listId, person, sameSecond ? firstJoined : firstJoined.plusSeconds(i)));
        }
        return ids;
    }

    static long activeMembers(UUID accountId, String klaviyoListId) {
        return (long) row("""
                select count(*) as n from list_membership m join klaviyo_list l on l.id = m.list_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and m.removed_at is null""", accountId, klaviyoListId)
                .get("n");
    }

    static Map<String, Object> list(UUID accountId, String klaviyoListId) {
        return row("select * from klaviyo_list where account_id = ? and klaviyo_list_id = ?", accountId, klaviyoListId);
    }

    static long runs(UUID accountId, String klaviyoListId, String status) {
        return (long) row("""
                select count(*) as n from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and r.status = ?""", accountId, klaviyoListId, status)
                .get("n");
    }

    /** As if the list's interval had passed (or someone asked for a sync): it is due now. */
    static void makeDue(UUID accountId, String klaviyoListId) {
        execute("update klaviyo_list set next_sync_at = now() where account_id = ? and klaviyo_list_id = ?",
                accountId, klaviyoListId);
    }

    /** Asks for a full sync (member ids compared) of the list now, as the API's {@code ?full=true} does. */
    static void requestFullSync(UUID accountId, String klaviyoListId) {
        execute("""
                update klaviyo_list set pending_trigger = 'manual', pending_full = true, next_sync_at = now()
                 where account_id = ? and klaviyo_list_id = ?""", accountId, klaviyoListId);
    }
}
