package io.github.klaviyosync.gateway.simulator;

import static io.github.klaviyosync.gateway.simulator.SimulatorHttp.ids;
import static io.github.klaviyosync.gateway.simulator.SimulatorHttp.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.testsupport.KlaviyoContract;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What changes in a Klaviyo account besides people joining lists: contact details and consent (with
 * and without {@code updated} moving), merges, renamed lists; directly and through the admin API.
 */
class SimulatorChangesTest {

    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");
    private static final String SUBSCRIPTIONS = "subscriptions";

    private SimulatorHttp http;
    private SimulatedAccount account;

    @BeforeEach
    void start() throws Exception {
        http = new SimulatorHttp();
        http.simulator.setContractCheck(KlaviyoContract.load());
        account = http.simulator.createAccount();
    }

    @AfterEach
    void stop() throws Exception {
        assertEquals(List.of(), http.simulator.contractViolations());
        http.close();
    }

    private JsonObject attributes(String profileId) throws Exception {
        return http.json(account.apiKey(), path("/api/profiles/" + profileId, "additional-fields[profile]", SUBSCRIPTIONS))
                .getJsonObject("data").getJsonObject("attributes");
    }

    private static JsonObject marketing(JsonObject attributes, String channel) {
        return attributes.getJsonObject(SUBSCRIPTIONS).getJsonObject(channel).getJsonObject("marketing");
    }

    private List<String> updatedAfter(Instant after) throws Exception {
        return http.walk(account.apiKey(), path("/api/profiles", "filter", "greater-than(updated," + after + ")", "sort", "updated"));
    }

    @Test
    void changingContactDetailsMovesUpdatedToTheTimeOfTheChange() throws Exception {
        String id = account.addProfile(SimProfile.sms("+15005550006").email("ada@example.com").names("Ada", "L"), T0);
        String other = account.addProfile(SimProfile.sms("+15005550007"), T0);

        account.updateProfile(id, person -> person.email("ada@lovelace.example"), T0.plusSeconds(10));
        account.updateProfile(id, person -> person.phone("+15005550009").names("Ada", "Lovelace"), T0.plusSeconds(20));
        Instant now = account.changeNames(other, "Grace", "Hopper");

        JsonObject attributes = attributes(id);
        assertEquals("ada@lovelace.example", attributes.getString("email"));
        assertEquals("+15005550009", attributes.getString("phone_number"));
        assertEquals("Lovelace", attributes.getString("last_name"));
        assertEquals("2026-11-28T03:00:20+00:00", attributes.getString("updated"));
        assertEquals("2026-11-28T03:00:00+00:00", attributes.getString("created"));
        assertEquals("2026-11-28T03:00:00+00:00", marketing(attributes, "sms").getString("consent_timestamp"),
                "consent did not change");
        assertEquals(List.of(id, other), updatedAfter(T0.plusSeconds(19)));
        assertEquals(List.of(other), updatedAfter(T0.plusSeconds(20)));
        assertTrue(!now.isBefore(Instant.now().minusSeconds(5)), "a change without a time happens now");
        assertEquals(now, account.profileUpdated(other));
    }

    @Test
    void aConsentChangeMovesItsChannelsTimesAndTheProfilesUpdated() throws Exception {
        String id = account.addProfile(SimProfile.sms("+15005550006").email("ada@example.com")
                .emailConsent(SimProfile.SUBSCRIBED), T0);

        account.changeConsent(id, SimProfile.UNSUBSCRIBED, null, T0.plusSeconds(30));
        account.changeConsent(id, null, SimProfile.UNSUBSCRIBED, T0.plusSeconds(40));
        account.changeConsent(id, SimProfile.SUBSCRIBED, null, T0.plusSeconds(50));

        JsonObject attributes = attributes(id);
        JsonObject sms = marketing(attributes, "sms");
        JsonObject email = marketing(attributes, "email");
        assertEquals("SUBSCRIBED", sms.getString("consent"));
        assertEquals("2026-11-28T03:00:50+00:00", sms.getString("consent_timestamp"));
        assertEquals("2026-11-28T03:00:50+00:00", sms.getString("last_updated"));
        assertEquals("UNSUBSCRIBED", email.getString("consent"));
        assertEquals("2026-11-28T03:00:40+00:00", email.getString("consent_timestamp"));
        assertFalse(email.getBoolean("can_receive_email_marketing"));
        assertEquals("2026-11-28T03:00:50+00:00", attributes.getString("updated"));
        assertEquals(SimProfile.SUBSCRIBED, account.person(id).smsConsent());
    }

    @Test
    void aConsentChangeKeepingUpdatedShowsOnTheProfileButNotToTheUpdatedFilter() throws Exception {
        String id = account.addProfile(SimProfile.sms("+15005550006"), T0);
        String touched = account.addProfile(SimProfile.sms("+15005550007"), T0);
        account.changeSmsConsent(touched, SimProfile.UNSUBSCRIBED);

        Instant at = account.changeConsentKeepingUpdated(id, SimProfile.UNSUBSCRIBED, null);

        JsonObject sms = marketing(attributes(id), "sms");
        assertEquals("UNSUBSCRIBED", sms.getString("consent"));
        assertEquals(JsonApiWriter.time(at), sms.getString("consent_timestamp"));
        assertEquals(JsonApiWriter.time(at), sms.getString("last_updated"));
        assertFalse(sms.getBoolean("can_receive_sms_marketing"));
        assertEquals(T0, account.profileUpdated(id));
        assertEquals(List.of(touched), updatedAfter(T0), "only the profile whose updated moved is found");
    }

    @Test
    void aMergedProfileIsGoneAndItsListsMoveToTheSurvivor() throws Exception {
        String both = account.createList("Both", T0);
        String mergedOnly = account.createList("Merged only", T0);
        String survivorOnly = account.createList("Survivor only", T0);
        String survivor = account.addProfile(SimProfile.sms("+15005550006").names("Ada", null), T0);
        String merged = account.addProfile(SimProfile.empty().email("ada@example.com")
                .emailConsent(SimProfile.SUBSCRIBED).names("Augusta", "King").consentAt(T0.plusSeconds(7)), T0);
        account.addMember(both, survivor, T0.plusSeconds(20));
        account.addMember(both, merged, T0.plusSeconds(10));
        account.addMember(mergedOnly, merged, T0.plusSeconds(30));
        account.addMember(survivorOnly, survivor, T0.plusSeconds(40));

        account.mergeProfiles(survivor, merged, T0.plusSeconds(100));

        assertEquals(404, http.get(account.apiKey(), "/api/profiles/" + merged).statusCode());
        assertEquals(404, http.get(account.apiKey(), "/api/profiles/" + merged + "/relationships/lists").statusCode());
        assertEquals(List.of(survivor), http.walk(account.apiKey(), path("/api/profiles",
                "filter", "any(id,[\"" + survivor + "\",\"" + merged + "\"])")));
        assertEquals(List.of(survivor), http.walk(account.apiKey(), path("/api/profiles", "filter", "equals(email,'ada@example.com')")));
        assertEquals(List.of(survivor), http.walk(account.apiKey(), "/api/profiles"));
        JsonObject members = http.json(account.apiKey(), "/api/lists/" + both + "/profiles");
        assertEquals(List.of(survivor), ids(members));
        assertEquals("2026-11-28T03:00:10+00:00", members.getJsonArray("data").getJsonObject(0)
                .getJsonObject("attributes").getString("joined_group_at"), "the earlier join is kept");
        assertEquals(List.of(survivor), account.memberIds(mergedOnly));
        assertEquals(List.of(survivor), account.memberIds(survivorOnly));
        JsonObject attributes = attributes(survivor);
        assertEquals("2026-11-28T03:01:40+00:00", attributes.getString("updated"));
        assertEquals("ada@example.com", attributes.getString("email"), "the survivor takes the email it lacked");
        assertEquals("SUBSCRIBED", marketing(attributes, "email").getString("consent"));
        assertEquals("2026-11-28T03:00:07+00:00", marketing(attributes, "email").getString("consent_timestamp"));
        assertEquals("Ada", attributes.getString("first_name"), "and keeps what it had");
        assertEquals("King", attributes.getString("last_name"));
        assertFalse(account.hasProfile(merged));
        assertThrows(IllegalArgumentException.class, () -> account.mergeProfiles(survivor, survivor));
    }

    @Test
    void aNewListHasCreatedEqualToUpdatedAndARenameMovesUpdated() throws Exception {
        String kept = account.createList("Kept", T0);
        String renamed = account.createList("Old name", T0.plusSeconds(1));
        String later = account.createList("Later", T0.plusSeconds(60));

        account.renameList(renamed, "New name", T0.plusSeconds(120));

        JsonObject one = http.json(account.apiKey(), "/api/lists/" + kept).getJsonObject("data").getJsonObject("attributes");
        assertEquals(one.getString("created"), one.getString("updated"));
        JsonObject renamedList = http.json(account.apiKey(), "/api/lists/" + renamed).getJsonObject("data").getJsonObject("attributes");
        assertEquals("New name", renamedList.getString("name"));
        assertEquals("2026-11-28T03:00:01+00:00", renamedList.getString("created"));
        assertEquals("2026-11-28T03:02:00+00:00", renamedList.getString("updated"));
        assertEquals(List.of(renamed), http.walk(account.apiKey(), path("/api/lists", "filter", "greater-than(updated,2026-11-28T03:01:00Z)")));
        assertEquals(List.of(later, renamed), http.walk(account.apiKey(),
                path("/api/lists", "filter", "greater-than(updated,2026-11-28T03:00:30Z)", "sort", "updated")));
        assertEquals(List.of(later), http.walk(account.apiKey(), path("/api/lists", "filter", "greater-than(created,2026-11-28T03:00:01Z)")));
        assertEquals(List.of(renamed, later, kept), http.walk(account.apiKey(), path("/api/lists", "sort", "-updated")));
        assertEquals(List.of(later, renamed, kept), http.walk(account.apiKey(), path("/api/lists", "sort", "-created")));
        assertEquals(List.of(kept, later, renamed), http.walk(account.apiKey(), path("/api/lists", "sort", "name")));
        http.simulator.setContractCheck(null);  // the simulator's own validation refuses what the spec does not allow
        assertEquals(400, http.get(account.apiKey(), path("/api/lists", "filter", "less-than(updated,2026-11-28T03:01:00Z)")).statusCode());
        assertEquals(400, http.get(account.apiKey(), path("/api/lists", "sort", "opt_in_process")).statusCode());
    }

    @Test
    void pagingListsByUpdatedNeitherSkipsNorRepeatsWhileListsAreRenamed() throws Exception {
        List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(account.createList("List " + i, T0.plusSeconds(i)));
        }
        String url = path("/api/lists", "sort", "updated");
        List<String> seen = new java.util.ArrayList<>();
        boolean first = true;
        while (url != null) {
            JsonObject page = http.json(account.apiKey(), url);
            seen.addAll(ids(page));
            if (first) {
                account.renameList(created.get(3), "Renamed early");   // served already: comes again
                account.renameList(created.get(15), "Renamed late");   // not served yet: comes once, last
                first = false;
            }
            url = page.getJsonObject("links").getString("next");
        }

        assertEquals(26, seen.size());
        List<String> expected = new java.util.ArrayList<>(created.subList(0, 10));
        created.subList(10, 25).stream().filter(id -> !id.equals(created.get(15))).forEach(expected::add);
        assertEquals(expected, seen.subList(0, 24));
        assertTrue(seen.subList(24, 26).containsAll(List.of(created.get(3), created.get(15))));
    }

    @Test
    void theAdminApiChangesMergesAndRenames() throws Exception {
        String key = account.apiKey();
        String listId = account.createList("SMS", T0);
        String old = new JsonObject(http.post("/__admin/accounts/" + key + "/profiles", new JsonObject().put("id", "AbC123")
                .put("phone", "+15005550006").put("created", "2026-11-28T03:00:00Z")).body()).getString("id");
        String other = new JsonObject(http.post("/__admin/accounts/" + key + "/lists/" + listId + "/members",
                new JsonObject().put("email", "ada@example.com").put("smsConsent", "NEVER_SUBSCRIBED")
                        .put("joinedAt", "2026-11-28T03:00:05Z")).body()).getString("id");

        assertEquals(200, http.patch("/__admin/accounts/" + key + "/profiles/" + old, new JsonObject()
                .put("phone", "+15005550009").put("smsConsent", "UNSUBSCRIBED").put("at", "2026-11-28T03:10:00Z")).statusCode());
        assertEquals(200, http.patch("/__admin/accounts/" + key + "/profiles/" + other, new JsonObject()
                .put("emailConsent", "SUBSCRIBED").put("keepUpdated", true).put("at", "2026-11-28T03:20:00Z")).statusCode());
        assertEquals(400, http.patch("/__admin/accounts/" + key + "/profiles/" + other, new JsonObject()
                .put("email", "x@example.com").put("keepUpdated", true)).statusCode());
        assertEquals(200, http.patch("/__admin/accounts/" + key + "/lists/" + listId, new JsonObject().put("name", "Texts")).statusCode());
        assertEquals(200, http.post("/__admin/accounts/" + key + "/profiles/" + old + "/merge",
                new JsonObject().put("mergedId", other).put("at", "2026-11-28T03:30:00Z")).statusCode());

        assertEquals("AbC123", old);
        assertEquals("+15005550009", account.person(old).phone());
        assertEquals(SimProfile.UNSUBSCRIBED, account.person(old).smsConsent());
        assertEquals("ada@example.com", account.person(old).email());
        assertEquals(SimProfile.SUBSCRIBED, account.person(old).emailConsent(), "taken from the merged profile");
        assertEquals(Instant.parse("2026-11-28T03:30:00Z"), account.profileUpdated(old));
        assertEquals(List.of(old), account.memberIds(listId));
        assertFalse(account.hasProfile(other));
        JsonObject list = http.json(key, "/api/lists/" + listId).getJsonObject("data").getJsonObject("attributes");
        assertEquals("Texts", list.getString("name"));
        assertNull(http.simulator.account("pk_none"));
    }

    @Test
    void aProfileIdTakenOrBlankIsRefused() {
        account.addProfile("AbC123", SimProfile.sms("+15005550006"), T0);

        assertThrows(IllegalArgumentException.class, () -> account.addProfile("AbC123", SimProfile.sms("+15005550007"), T0));
        assertThrows(IllegalArgumentException.class, () -> account.addProfile(" ", SimProfile.sms("+15005550007"), T0));
        assertTrue(account.hasProfile("AbC123"));
    }
}
