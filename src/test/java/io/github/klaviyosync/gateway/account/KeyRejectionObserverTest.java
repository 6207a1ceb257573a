package io.github.klaviyosync.gateway.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.crypto.SecretBox;
import io.github.klaviyosync.gateway.klaviyo.KlaviyoAuthRejected;
import io.github.klaviyosync.gateway.status.ApiFixtures;
import io.github.klaviyosync.gateway.status.ApiFixtures.FixtureAccount;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KeyRejectionObserverTest {

    @Inject
    SecretBox secretBox;

    @Inject
    Event<KlaviyoAuthRejected> rejections;

    @Test
    void marksTheAccountAuthFailedWithKlaviyosReason() throws Exception {
        FixtureAccount account = new ApiFixtures(secretBox).account();
        rejections.fire(new KlaviyoAuthRejected(account.id().toString(), 401, "Incorrect authentication credentials.",
                KlaviyoAuthRejected.fingerprint(account.apiKey())));
        Map<String, Object> row = awaitStatus(account.id(), "auth_failed");
        assertTrue(String.valueOf(row.get("status_reason")).contains("Incorrect authentication credentials."), row.toString());
    }

    @Test
    void leavesADeletedAccountDeleted() throws Exception {
        FixtureAccount deleted = new ApiFixtures(secretBox).account("deleted");
        FixtureAccount witness = new ApiFixtures(secretBox).account();
        rejections.fire(new KlaviyoAuthRejected(deleted.id().toString(), 401, "revoked", KlaviyoAuthRejected.fingerprint(deleted.apiKey())));
        rejections.fire(new KlaviyoAuthRejected(witness.id().toString(), 401, "revoked", KlaviyoAuthRejected.fingerprint(witness.apiKey())));
        awaitStatus(witness.id(), "auth_failed");
        assertEquals("deleted", TestDatabase.row("select status from account where id = ?", deleted.id()).get("status"));
    }

    @Test
    void leavesAnAccountWhoseKeyWasReplacedMeanwhileActive() throws Exception {
        FixtureAccount replaced = new ApiFixtures(secretBox).account();
        FixtureAccount witness = new ApiFixtures(secretBox).account();
        // Refused with a key the account no longer holds (another replica stored a new one meanwhile).
        rejections.fire(new KlaviyoAuthRejected(replaced.id().toString(), 401, "revoked",
                KlaviyoAuthRejected.fingerprint("pk_the_key_before_the_replacement")));
        rejections.fire(new KlaviyoAuthRejected(witness.id().toString(), 401, "revoked", KlaviyoAuthRejected.fingerprint(witness.apiKey())));
        awaitStatus(witness.id(), "auth_failed");
        assertEquals("active", TestDatabase.row("select status from account where id = ?", replaced.id()).get("status"));
    }

    private static Map<String, Object> awaitStatus(UUID id, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        Map<String, Object> row = Map.of();
        while (System.currentTimeMillis() < deadline) {
            row = TestDatabase.row("select status, status_reason from account where id = ?", id);
            if (status.equals(row.get("status"))) {
                return row;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("account " + id + " did not become " + status + ": " + row);
    }
}
