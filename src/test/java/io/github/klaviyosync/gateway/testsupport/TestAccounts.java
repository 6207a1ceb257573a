package io.github.klaviyosync.gateway.testsupport;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.crypto.SecretField;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Accounts for tests, in the simulator and in the gateway's database as a connect would leave
 * them (sealed key, Klaviyo account id, discovery and profile sweep due now). Keys follow {@link TestSecrets}.
 */
@ApplicationScoped
public class TestAccounts {

    private final KlaviyoSimulator simulator;
    private final SecretBox secretBox;

    TestAccounts(KlaviyoSimulator simulator, SecretBox secretBox) {
        this.simulator = simulator;
        this.secretBox = secretBox;
    }

    /** A Klaviyo account in the simulator only, to fill with lists before the gateway learns of it. */
    public SimulatedAccount klaviyoAccount() {
        String klaviyoId = "K" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        return simulator.createAccount(TestSecrets.apiKey(), klaviyoId, "Test shop " + klaviyoId);
    }

    /** The gateway's account for a simulated one, active, with its discovery due now; returns its id. */
    public UUID register(SimulatedAccount klaviyo) {
        return register(klaviyo, null, null, true);
    }

    /**
     * The gateway's account for a simulated one, active, with a sealed webhook secret and the hash of a
     * flow token when given (null: none); its discovery and profile sweep due now, or never when
     * {@code discoveryDue} is false (for tests whose lists and people must only come from what the
     * test itself stores or pushes, and whose Klaviyo requests are only its own).
     */
    public UUID register(SimulatedAccount klaviyo, String webhookSecret, String flowToken, boolean discoveryDue) {
        UUID id = UUID.randomUUID();
        // An account without discovery or sweep state is due now (a new account); without discoveryDue
        // it gets, in the same statement, states that are due never.
        TestDatabase.execute("""
                with created as (
                    insert into account (id, name, klaviyo_account_id, api_key_enc, webhook_secret_enc, flow_token_hash, status)
                    values (?, ?, ?, ?, ?, ?, 'active')
                    returning id
                ), discovery as (
                    insert into list_discovery (account_id, next_discovery_at)
                    select id, 'infinity' from created where not ?)
                insert into profile_sweep (account_id, updated_cursor, next_sweep_at)
                select id, now(), 'infinity' from created where not ?
                """, id, klaviyo.organizationName(), klaviyo.klaviyoAccountId(), secretBox.seal(klaviyo.apiKey(), SecretField.API_KEY, id),
                webhookSecret == null ? null : secretBox.seal(webhookSecret, SecretField.WEBHOOK_SECRET, id),
                flowToken == null ? null : Tokens.hash(flowToken), discoveryDue, discoveryDue);
        return id;
    }

    /**
     * Lists of the account as discovery leaves new ones: due now, to be backfilled (no member cursor);
     * with {@code cursor}, as lists synced before, whose next sync fetches who joined since it.
     */
    public void addLists(UUID accountId, java.util.List<String> klaviyoListIds, java.time.Instant cursor) {
        addLists(accountId, klaviyoListIds, cursor, java.time.Duration.ZERO);
    }

    /**
     * Like {@link #addLists(UUID, java.util.List, java.time.Instant)}, the lists due one after the other
     * over {@code spread} from now on, as a running gateway's are; each is stored with its due time, so
     * none is due now in between.
     */
    public void addLists(UUID accountId, java.util.List<String> klaviyoListIds, java.time.Instant cursor,
            java.time.Duration spread) {
        for (int i = 0; i < klaviyoListIds.size(); i++) {
            String listId = klaviyoListIds.get(i);
            TestDatabase.execute("""
                    insert into klaviyo_list (account_id, klaviyo_list_id, name, discovered_via, next_sync_at,
                                              pending_trigger, member_cursor, last_synced_at)
                    values (?, ?, ?, 'discovery', now() + make_interval(secs => ?), ?, ?, ?)""",
                    accountId, listId, "List " + listId, spread.toMillis() / 1000.0 * i / klaviyoListIds.size(),
                    cursor == null ? "connect" : null, cursor, cursor);
        }
    }

    /** The gateway's row of a list, by Klaviyo's list id. */
    public long listRowId(UUID accountId, String klaviyoListId) {
        return ((Number) TestDatabase.row("select id from klaviyo_list where account_id = ? and klaviyo_list_id = ?",
                accountId, klaviyoListId).get("id")).longValue();
    }
}
