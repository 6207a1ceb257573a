package io.github.klaviyosync.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.webhook.WebhookFixtures.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SystemWebhookTest {

    private static final String SMS_SUBSCRIBED = "event:klaviyo.subscribed_to_sms_marketing";
    private static final String SMS_UNSUBSCRIBED = "event:klaviyo.unsubscribed_from_sms_marketing";
    private static final String EMAIL_SUBSCRIBED = "event:klaviyo.subscribed_to_email_marketing";

    @Inject
    TestAccounts accounts;

    @Test
    void aSignedWebhookWithTwoConsentEventsChangesBothSubscribers() {
        TestAccount account = WebhookFixtures.account(accounts);
        String first = WebhookFixtures.knownSubscriber(account.id());
        String second = WebhookFixtures.knownSubscriber(account.id());
        Instant at = Instant.parse("2026-11-28T10:00:00Z");

        WebhookRequests.system(account,
                        WebhookFixtures.consentEvent("ev-" + first, SMS_SUBSCRIBED, first, at),
                        WebhookFixtures.consentEvent("ev-" + second, EMAIL_SUBSCRIBED, second, at))
                .then().statusCode(202);

        Eventually.until(Duration.ofSeconds(5), "both consents changed", () -> "SUBSCRIBED".equals(smsConsent(account, first))
                && "SUBSCRIBED".equals(emailConsent(account, second)));
        assertEquals(at, (Instant) TestDatabase.value(
                "select sms_consent_at from subscriber where account_id = ? and klaviyo_profile_id = ?",
                account.id(), first));
        assertEquals(2, TestDatabase.count(
                "select count(*) from webhook_event where account_id = ? and status = 'applied'", account.id()));
    }

    @Test
    void anOlderEventNeverOverwritesANewerConsent() {
        TestAccount account = WebhookFixtures.account(accounts);
        String profile = WebhookFixtures.knownSubscriber(account.id());
        Instant newer = Instant.parse("2026-11-28T12:00:00Z");
        Instant older = newer.minus(Duration.ofHours(1));

        WebhookRequests.system(account, WebhookFixtures.consentEvent("ev-new", SMS_UNSUBSCRIBED, profile, newer))
                .then().statusCode(202);
        awaitApplied(account, 1);
        WebhookRequests.system(account, WebhookFixtures.consentEvent("ev-old", SMS_SUBSCRIBED, profile, older))
                .then().statusCode(202);
        awaitApplied(account, 2);

        assertEquals("UNSUBSCRIBED", smsConsent(account, profile));
    }

    @Test
    void theSameEventDeliveredThreeTimesIsStoredAndAppliedOnce() {
        TestAccount account = WebhookFixtures.account(accounts);
        String profile = WebhookFixtures.knownSubscriber(account.id());
        String event = WebhookFixtures.consentEvent("ev-dup", SMS_SUBSCRIBED, profile, Instant.now());

        WebhookRequests.system(account, event).then().statusCode(202)
                .body("stored", org.hamcrest.Matchers.equalTo(1));
        for (int i = 0; i < 2; i++) {
            WebhookRequests.system(account, event).then().statusCode(202)
                    .body("stored", org.hamcrest.Matchers.equalTo(0))
                    .body("duplicates", org.hamcrest.Matchers.equalTo(1));
        }

        awaitApplied(account, 1);
        assertEquals(1, TestDatabase.count("select count(*) from webhook_event where account_id = ?", account.id()));
        assertEquals("SUBSCRIBED", smsConsent(account, profile));
    }

    @Test
    void eventsOfOtherTopicsAreStoredAndMarkedApplied() {
        TestAccount account = WebhookFixtures.account(accounts);
        String event = WebhookFixtures.consentEvent("ev-other", "event:klaviyo.opened_email", WebhookFixtures.profileId(), Instant.now());

        WebhookRequests.system(account, event).then().statusCode(202);

        awaitApplied(account, 1);
        assertEquals("event:klaviyo.opened_email", TestDatabase.value(
                "select topic from webhook_event where account_id = ?", account.id()));
    }

    private static void awaitApplied(TestAccount account, int events) {
        Eventually.until(Duration.ofSeconds(5), events + " events applied", () -> TestDatabase.count(
                "select count(*) from webhook_event where account_id = ? and status = 'applied'", account.id()) == events);
    }

    private static String smsConsent(TestAccount account, String profileId) {
        return (String) TestDatabase.value(
                "select sms_consent from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profileId);
    }

    private static String emailConsent(TestAccount account, String profileId) {
        return (String) TestDatabase.value(
                "select email_consent from subscriber where account_id = ? and klaviyo_profile_id = ?", account.id(), profileId);
    }
}
