package io.github.klaviyosync.gateway.webhook;

/**
 * How a flow push meets what is stored, one rule for applying pushes one by one
 * ({@link MembershipWriter}) and in batches ({@link FlowPushBatchWriter}).
 */
final class PushMerge {

    /**
     * The conflict clause of a subscriber insert aliased {@code t}: a value the push leaves empty
     * never erases a known one, and consent is never touched.
     */
    static final String SUBSCRIBER_CONFLICT = """
            on conflict (account_id, klaviyo_profile_id) do update set
                email = coalesce(excluded.email, t.email),
                phone_e164 = case when excluded.phone_raw is null then t.phone_e164 else excluded.phone_e164 end,
                phone_invalid = case when excluded.phone_raw is null then t.phone_invalid else excluded.phone_invalid end,
                phone_raw = coalesce(excluded.phone_raw, t.phone_raw),
                first_name = coalesce(excluded.first_name, t.first_name),
                last_name = coalesce(excluded.last_name, t.last_name),
                updated_at = now()
            """;

    /**
     * The conflict clause of a membership insert aliased {@code lm}: a member who had left is back,
     * one still on the list is left alone, so only new members and rejoins return a row (and count).
     */
    static final String MEMBERSHIP_CONFLICT = """
            on conflict (list_id, subscriber_id) do update set
                removed_at = null, joined_at = excluded.joined_at, source = 'webhook', updated_at = now()
            where lm.removed_at is not null
            """;

    private PushMerge() {
    }
}
