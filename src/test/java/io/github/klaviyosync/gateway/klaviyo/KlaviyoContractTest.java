package io.github.klaviyosync.gateway.klaviyo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.simulator.KlaviyoSimulator;
import io.github.klaviyosync.gateway.simulator.SimProfile;
import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every request the client sends in the tests meets Klaviyo's spec, and every answer the simulator
 * gives meets the spec's schemas: the check installed by {@code testsupport/KlaviyoContractInstaller}
 * refuses the rest loudly. Here: all operations pass it, and a misspelled parameter does not.
 */
@QuarkusTest
class KlaviyoContractTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    @Inject
    KlaviyoClient client;

    @Inject
    KlaviyoSimulator simulator;

    @Test
    void everyOperationOfTheClientMeetsTheSpecBothWays() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS", T0);
        account.addMembers(listId, 130, T0);
        String profileId = account.addMember(listId, SimProfile.sms("+15005550006").email("ada@example.com")
                .emailConsent("SUBSCRIBED"), T0.plusSeconds(500));
        for (int i = 0; i < 11; i++) {
            account.createList("More " + i, T0.plusSeconds(i));
        }
        KlaviyoCredentials credentials = KlaviyoClientPagingTest.credentials(account);

        client.account(credentials).await().atMost(WAIT);
        client.lists(credentials, null).collect().asList().await().atMost(WAIT);
        client.lists(credentials, T0.plusSeconds(3)).collect().asList().await().atMost(WAIT);
        client.list(credentials, listId).await().atMost(WAIT);
        client.members(credentials, listId, null, null).collect().asList().await().atMost(WAIT);
        client.members(credentials, listId, T0.plusSeconds(10), null).collect().asList().await().atMost(WAIT);
        client.profile(credentials, profileId).await().atMost(WAIT);
        client.profileListIds(credentials, profileId).await().atMost(WAIT);

        assertEquals(0, account.counters().contractViolations(), () -> simulator.contractViolations().toString());
        Set<String> operations = new HashSet<>();
        account.counters().recentRequests().forEach(request -> operations.add(request.split(" ")[0]));
        assertEquals(Set.of("get_accounts", "get_lists", "get_list", "get_profiles_for_list",
                "get_profile", "get_list_ids_for_profile"), operations);
    }

    @Test
    void theProfileAndListPollsAndTheBatchLookUpsMeetTheSpecBothWays() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS", T0);
        account.createList("Other", T0.plusSeconds(1));
        account.renameList(listId, "Texts", T0.plusSeconds(90));
        java.util.List<String> ids = account.addMembers(listId, 120, T0);
        String old = account.addProfile("AbC123", SimProfile.sms("+15005550006").email("o'brien@example.com"), T0);
        account.changeConsentKeepingUpdated(ids.get(0), "UNSUBSCRIBED", null);
        account.mergeProfiles(ids.get(1), ids.get(2));
        KlaviyoCredentials credentials = KlaviyoClientPagingTest.credentials(account);
        String checkpoint = client.profilesUpdatedSince(credentials, T0, null).collect().first().await().atMost(WAIT).nextUrl();

        client.profilesUpdatedSince(credentials, null, null).collect().asList().await().atMost(WAIT);
        client.profilesUpdatedSince(credentials, T0.plusMillis(1_500), checkpoint).collect().asList().await().atMost(WAIT);
        client.listsUpdatedSince(credentials, T0.plusSeconds(30)).collect().asList().await().atMost(WAIT);
        client.listsUpdatedSince(credentials, null).collect().asList().await().atMost(WAIT);
        java.util.List<String> asked = new java.util.ArrayList<>(ids);
        asked.add(old);
        assertEquals(120, client.profilesByIds(credentials, asked).await().atMost(WAIT).size(), "121 asked, one merged away");
        assertEquals(1, client.profilesByEmails(credentials, java.util.List.of("o'brien@example.com", "nobody@example.com"))
                .await().atMost(WAIT).size());

        assertEquals(0, account.counters().contractViolations(), () -> simulator.contractViolations().toString());
        Set<String> operations = new HashSet<>();
        account.counters().recentRequests().forEach(request -> operations.add(request.split(" ")[0]));
        assertEquals(Set.of("get_profiles", "get_lists"), operations);
        assertEquals(2, account.counters().requests("get_lists"));
    }

    @Test
    void aMisspelledPageSizeIsRefusedAndCountedAsAViolation() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");

        given().header("Authorization", "Klaviyo-API-Key " + account.apiKey())
                .header("revision", "2026-07-15")
                .header("Accept", "application/vnd.api+json")
                .urlEncodingEnabled(true)
                .queryParam("page[szie]", 100)
                .when().get("/klaviyo-sim/api/lists/" + listId + "/profiles")
                .then().statusCode(400)
                .body("errors[0].code", equalTo("spec_violation"))
                .body("errors[0].source.parameter", equalTo("page[szie]"))
                .body("errors[0].detail", containsString("'page[szie]' is not a query parameter of get_profiles_for_list"));

        assertEquals(1, account.counters().contractViolations());
        assertThat(simulator.contractViolations(), hasItem(startsWith("get_profiles_for_list request")));
    }

    @Test
    void anOffSpecRequestOfTheClientFailsLoudly() {
        SimulatedAccount account = simulator.createAccount();
        String listId = account.createList("SMS");

        // A checkpointed page URL with a misspelled parameter makes the client send an off-spec
        // request: it fails with a 400 that names the parameter, and is counted.
        KlaviyoBadRequestException offSpec = assertThrows(KlaviyoBadRequestException.class,
                () -> client.members(KlaviyoClientPagingTest.credentials(account), listId, null,
                        "http://localhost:" + port() + "/klaviyo-sim/api/lists/" + listId + "/profiles?page%5Bszie%5D=5")
                        .collect().asList().await().atMost(WAIT));

        assertThat(offSpec.getMessage(), containsString("page[szie]"));
        assertEquals(1, account.counters().contractViolations());
    }

    private static int port() {
        return io.restassured.RestAssured.port;
    }
}
