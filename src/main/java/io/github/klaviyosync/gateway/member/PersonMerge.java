package io.github.klaviyosync.gateway.member;

/**
 * How what the gateway learns of a person meets what it stores: one rule per source, side by side.
 * Each is the {@code ON CONFLICT} clause (or condition) of a {@code subscriber} write aliased {@code t},
 * used by {@link MembershipRepository} and {@link SubscriberRepository} alone.
 */
final class PersonMerge {

    /**
     * From Klaviyo's API (a poll, a profile fetched for an event): the last writer wins by Klaviyo's
     * {@code updated} for contact data (a person created from a push has none, so Klaviyo's values
     * replace the pushed ones, and the person is no longer {@code pushed}); each channel's consent wins
     * when it holds since no earlier than the stored one, and an unknown word never erases a known one.
     */
    static final String FROM_KLAVIYO = """
            on conflict (account_id, klaviyo_profile_id) do update set
                email         = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                     then excluded.email else t.email end,
                phone_e164    = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                     then excluded.phone_e164 else t.phone_e164 end,
                phone_raw     = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                     then excluded.phone_raw else t.phone_raw end,
                phone_invalid = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                     then excluded.phone_invalid else t.phone_invalid end,
                first_name    = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                     then excluded.first_name else t.first_name end,
                last_name     = case when t.klaviyo_updated is null or excluded.klaviyo_updated >= t.klaviyo_updated
                                     then excluded.last_name else t.last_name end,
                klaviyo_updated = greatest(t.klaviyo_updated, excluded.klaviyo_updated),
                sms_consent    = case when t.sms_consent_at is null or excluded.sms_consent_at >= t.sms_consent_at
                                      then coalesce(excluded.sms_consent, t.sms_consent) else t.sms_consent end,
                sms_consent_at = greatest(t.sms_consent_at, excluded.sms_consent_at),
                email_consent    = case when t.email_consent_at is null or excluded.email_consent_at >= t.email_consent_at
                                        then coalesce(excluded.email_consent, t.email_consent) else t.email_consent end,
                email_consent_at = greatest(t.email_consent_at, excluded.email_consent_at),
                pushed = false,
                updated_at = now()
            """;

    /**
     * From a profile sweep (Klaviyo's API: the account's profiles changed since a time): the rule of
     * {@link #FROM_KLAVIYO}, for people the gateway already stores. Written as the select list of the
     * merged person, from the stored one {@code t} and the swept profile {@code v} (whose columns are
     * named as the subscriber's), since a sweep updates stored rows and never inserts. Like a poll, it
     * replaces a pushed person's values with Klaviyo's, and the person is no longer {@code pushed}.
     */
    static final String FROM_SWEEP = """
                   case when t.klaviyo_updated is null or v.klaviyo_updated >= t.klaviyo_updated
                        then v.email else t.email end as email,
                   case when t.klaviyo_updated is null or v.klaviyo_updated >= t.klaviyo_updated
                        then v.phone_e164 else t.phone_e164 end as phone_e164,
                   case when t.klaviyo_updated is null or v.klaviyo_updated >= t.klaviyo_updated
                        then v.phone_raw else t.phone_raw end as phone_raw,
                   case when t.klaviyo_updated is null or v.klaviyo_updated >= t.klaviyo_updated
                        then v.phone_invalid else t.phone_invalid end as phone_invalid,
                   case when t.klaviyo_updated is null or v.klaviyo_updated >= t.klaviyo_updated
                        then v.first_name else t.first_name end as first_name,
                   case when t.klaviyo_updated is null or v.klaviyo_updated >= t.klaviyo_updated
                        then v.last_name else t.last_name end as last_name,
                   greatest(t.klaviyo_updated, v.klaviyo_updated) as klaviyo_updated,
                   case when t.sms_consent_at is null or v.sms_consent_at >= t.sms_consent_at
                        then coalesce(v.sms_consent, t.sms_consent) else t.sms_consent end as sms_consent,
                   greatest(t.sms_consent_at, v.sms_consent_at) as sms_consent_at,
                   case when t.email_consent_at is null or v.email_consent_at >= t.email_consent_at
                        then coalesce(v.email_consent, t.email_consent) else t.email_consent end as email_consent,
                   greatest(t.email_consent_at, v.email_consent_at) as email_consent_at,
                   false as pushed
            """;

    /**
     * From a flow push, which is unsigned and only a hint: a person the gateway does not know is
     * created from the pushed values and marked {@code pushed}; the values of a person still known
     * only from pushes follow later pushes (an empty value never erases a known one); a person whose
     * values came from Klaviyo's API is never changed by a push. Consent is never touched (a push
     * carries none).
     */
    static final String FROM_PUSH = """
            on conflict (account_id, klaviyo_profile_id) do update set
                email = coalesce(excluded.email, t.email),
                phone_e164 = case when excluded.phone_raw is null then t.phone_e164 else excluded.phone_e164 end,
                phone_invalid = case when excluded.phone_raw is null then t.phone_invalid else excluded.phone_invalid end,
                phone_raw = coalesce(excluded.phone_raw, t.phone_raw),
                first_name = coalesce(excluded.first_name, t.first_name),
                last_name = coalesce(excluded.last_name, t.last_name),
                updated_at = now()
             where t.pushed
            """;

    /**
     * From a consent event (a system webhook): the change wins only over an older state, so a stored
     * consent time later than the event's ({@code $2}) means a newer state, which stays.
     */
    static final String CONSENT_EVENT_WINS = "(t.%1$s_consent_at is null or t.%1$s_consent_at <= $2)";

    private PersonMerge() {
    }
}
