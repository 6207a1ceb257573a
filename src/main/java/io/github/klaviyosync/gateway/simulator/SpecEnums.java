package io.github.klaviyosync.gateway.simulator;

import java.util.Set;

/**
 * The enums of the sparse-fieldset parameters ({@code fields[...]}) of the operations the simulator
 * serves, copied from Klaviyo's OpenAPI spec (revision 2026-07-15): a value outside them is a 400.
 */
final class SpecEnums {

    /** {@code fields[account]}. */
    static final Set<String> ACCOUNT_FIELDS = Set.of(
            "contact_information", "contact_information.default_sender_email",
            "contact_information.default_sender_name", "contact_information.organization_name",
            "contact_information.street_address", "contact_information.street_address.address1",
            "contact_information.street_address.address2", "contact_information.street_address.city",
            "contact_information.street_address.country", "contact_information.street_address.region",
            "contact_information.street_address.zip", "contact_information.website_url", "id", "industry", "locale",
            "preferred_currency", "public_api_key", "test_account", "timezone");

    /** {@code fields[flow]}. */
    static final Set<String> FLOW_FIELDS = Set.of(
            "archived", "created", "id", "name", "status", "trigger_type", "updated");

    /** {@code fields[list]}. */
    static final Set<String> LIST_FIELDS = Set.of(
            "created", "id", "name", "opt_in_process", "updated");

    /** {@code fields[tag]}. */
    static final Set<String> TAG_FIELDS = Set.of(
            "id", "name");

    /** {@code fields[profile]}. */
    static final Set<String> PROFILE_FIELDS = Set.of(
            "created", "email", "external_id", "first_name", "id", "image", "last_event_date", "last_name", "locale",
            "location", "location.address1", "location.address2", "location.city", "location.country", "location.ip",
            "location.latitude", "location.longitude", "location.region", "location.timezone", "location.zip",
            "organization", "phone_number", "predictive_analytics",
            "predictive_analytics.average_days_between_orders", "predictive_analytics.average_order_value",
            "predictive_analytics.churn_probability", "predictive_analytics.expected_date_of_next_order",
            "predictive_analytics.historic_clv", "predictive_analytics.historic_number_of_orders",
            "predictive_analytics.predicted_clv", "predictive_analytics.predicted_number_of_orders",
            "predictive_analytics.ranked_channel_affinity", "predictive_analytics.total_clv", "properties",
            "subscriptions", "subscriptions.email", "subscriptions.email.marketing",
            "subscriptions.email.marketing.can_receive_email_marketing", "subscriptions.email.marketing.consent",
            "subscriptions.email.marketing.consent_timestamp", "subscriptions.email.marketing.custom_method_detail",
            "subscriptions.email.marketing.double_optin", "subscriptions.email.marketing.last_updated",
            "subscriptions.email.marketing.list_suppressions", "subscriptions.email.marketing.method",
            "subscriptions.email.marketing.method_detail", "subscriptions.email.marketing.suppression",
            "subscriptions.email.open_tracking", "subscriptions.email.open_tracking.can_receive",
            "subscriptions.email.open_tracking.consent", "subscriptions.email.open_tracking.consent_timestamp",
            "subscriptions.email.open_tracking.created_timestamp", "subscriptions.email.open_tracking.last_updated",
            "subscriptions.email.open_tracking.metadata", "subscriptions.email.open_tracking.valid_until",
            "subscriptions.mobile_push", "subscriptions.mobile_push.marketing",
            "subscriptions.mobile_push.marketing.can_receive_push_marketing",
            "subscriptions.mobile_push.marketing.consent", "subscriptions.mobile_push.marketing.consent_timestamp",
            "subscriptions.sms", "subscriptions.sms.marketing",
            "subscriptions.sms.marketing.can_receive_sms_marketing", "subscriptions.sms.marketing.consent",
            "subscriptions.sms.marketing.consent_timestamp", "subscriptions.sms.marketing.last_updated",
            "subscriptions.sms.marketing.method", "subscriptions.sms.marketing.method_detail",
            "subscriptions.sms.transactional", "subscriptions.sms.transactional.can_receive_sms_transactional",
            "subscriptions.sms.transactional.consent", "subscriptions.sms.transactional.consent_timestamp",
            "subscriptions.sms.transactional.last_updated", "subscriptions.sms.transactional.method",
            "subscriptions.sms.transactional.method_detail", "subscriptions.whatsapp",
            "subscriptions.whatsapp.conversational", "subscriptions.whatsapp.conversational.can_receive",
            "subscriptions.whatsapp.conversational.consent",
            "subscriptions.whatsapp.conversational.consent_timestamp",
            "subscriptions.whatsapp.conversational.created_timestamp",
            "subscriptions.whatsapp.conversational.last_updated", "subscriptions.whatsapp.conversational.metadata",
            "subscriptions.whatsapp.conversational.phone_number",
            "subscriptions.whatsapp.conversational.valid_until", "subscriptions.whatsapp.marketing",
            "subscriptions.whatsapp.marketing.can_receive", "subscriptions.whatsapp.marketing.consent",
            "subscriptions.whatsapp.marketing.consent_timestamp",
            "subscriptions.whatsapp.marketing.created_timestamp", "subscriptions.whatsapp.marketing.last_updated",
            "subscriptions.whatsapp.marketing.metadata", "subscriptions.whatsapp.marketing.phone_number",
            "subscriptions.whatsapp.marketing.valid_until", "subscriptions.whatsapp.transactional",
            "subscriptions.whatsapp.transactional.can_receive", "subscriptions.whatsapp.transactional.consent",
            "subscriptions.whatsapp.transactional.consent_timestamp",
            "subscriptions.whatsapp.transactional.created_timestamp",
            "subscriptions.whatsapp.transactional.last_updated", "subscriptions.whatsapp.transactional.metadata",
            "subscriptions.whatsapp.transactional.phone_number", "subscriptions.whatsapp.transactional.valid_until",
            "title", "updated");

    /** {@code fields[conversation]}. */
    static final Set<String> CONVERSATION_FIELDS = Set.of(
            "channel", "id");

    /** {@code fields[push-token]}. */
    static final Set<String> PUSH_TOKEN_FIELDS = Set.of(
            "background", "created", "enablement_status", "id", "metadata", "metadata.app_build", "metadata.app_id",
            "metadata.app_name", "metadata.app_version", "metadata.device_id", "metadata.device_model",
            "metadata.environment", "metadata.klaviyo_sdk", "metadata.manufacturer", "metadata.os_name",
            "metadata.os_version", "metadata.sdk_version", "platform", "recorded_date", "token", "vendor");

    /** {@code fields[segment]}. */
    static final Set<String> SEGMENT_FIELDS = Set.of(
            "created", "definition", "definition.condition_groups", "id", "is_active", "is_processing", "is_starred",
            "name", "updated");

    private SpecEnums() {
    }
}
