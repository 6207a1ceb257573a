package io.github.klaviyosync.gateway.testsupport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec-driven check itself: what it lets through and what it catches. */
class KlaviyoContractCheckTest {

    private static final KlaviyoContract CONTRACT = KlaviyoContract.load();
    private static final Map<String, String> REVISION = Map.of("revision", "2026-07-15");

    private static List<String> members(Map<String, List<String>> query) {
        return CONTRACT.checkRequest("get_profiles_for_list", query, REVISION);
    }

    @Test
    void theClientsMembersRequestMeetsTheSpec() {
        assertThat(members(Map.of(
                "filter", List.of("greater-or-equal(joined_group_at,2026-11-28T03:00:00+00:00)"),
                "sort", List.of("joined_group_at"),
                "additional-fields[profile]", List.of("subscriptions"),
                "page[size]", List.of("100"),
                "page[cursor]", List.of("abc"))), empty());
    }

    @Test
    void aMisspelledParameterNameIsCaught() {
        assertThat(members(Map.of("page[szie]", List.of("100"))),
                contains("'page[szie]' is not a query parameter of get_profiles_for_list"));
    }

    @Test
    void pageSizesOutsideTheSpecBoundsAreCaught() {
        assertThat(members(Map.of("page[size]", List.of("101"))), hasItem(containsString("above its maximum 100")));
        assertThat(members(Map.of("page[size]", List.of("0"))), hasItem(containsString("below its minimum 1")));
        assertThat(CONTRACT.checkRequest("get_lists", Map.of("page[size]", List.of("11")), REVISION),
                hasItem(containsString("above its maximum 10")));
    }

    @Test
    void valuesOutsideTheEnumsAreCaught() {
        assertThat(members(Map.of("sort", List.of("created"))), hasItem(containsString("'sort' = 'created' is not one of")));
        assertThat(members(Map.of("additional-fields[profile]", List.of("subscriptions,consent"))),
                hasItem(containsString("'consent' is not one of")));
    }

    @Test
    void filtersOutsideXKlaviyoFiltersAreCaught() {
        assertThat(members(Map.of("filter", List.of("greater-than(created,2026-11-28T03:00:00+00:00)"))),
                hasItem(containsString("'created' is not filterable here")));
        assertThat(members(Map.of("filter", List.of("equals(joined_group_at,2026-11-28T03:00:00+00:00)"))),
                hasItem(containsString("operator 'equals' is not allowed")));
        assertThat(members(Map.of("filter", List.of("greater-than(joined_group_at,'2026-11-28')"))),
                hasItem(containsString("not an unquoted RFC 3339 date-time")));
    }

    @Test
    void theClientsProfileRequestsMeetTheSpecWhateverTheQuotedValuesHold() {
        assertThat(CONTRACT.checkRequest("get_profiles", Map.of(
                "filter", List.of("greater-than(updated,2026-11-28T03:00:00+00:00)"),
                "sort", List.of("updated"),
                "additional-fields[profile]", List.of("subscriptions"),
                "page[size]", List.of("100")), REVISION), empty());
        assertThat(CONTRACT.checkRequest("get_profiles", Map.of(
                "filter", List.of("any(email,[\"o'brien(work),x@example.com\",\"b@example.com\"])")), REVISION), empty());
        assertThat(CONTRACT.checkRequest("get_profiles", Map.of(
                "filter", List.of("equals(subscriptions.email.marketing.suppression.reason,'HARD_BOUNCE')")), REVISION), empty());
        assertThat(CONTRACT.checkRequest("get_profiles", Map.of(
                "filter", List.of("greater-or-equal(updated,2026-11-28T03:00:00+00:00)")), REVISION),
                hasItem(containsString("operator 'greater-or-equal' is not allowed on 'updated'")));
        assertThat(CONTRACT.checkRequest("get_lists", Map.of(
                "filter", List.of("less-than(updated,2026-11-28T03:00:00+00:00)")), REVISION),
                hasItem(containsString("operator 'less-than' is not allowed on 'updated'")));
        // A parenthesis in a quoted value does not hide the next condition.
        assertThat(CONTRACT.checkRequest("get_profiles", Map.of(
                "filter", List.of("equals(email,\"x)@example.com\"),equals(first_name,'Ada')")), REVISION),
                contains("filter field 'first_name' is not filterable here"));
    }

    @Test
    void aMissingRevisionHeaderIsCaught() {
        assertThat(CONTRACT.checkRequest("get_accounts", Map.of(), Map.of()),
                contains("required header 'revision' is missing"));
    }

    @Test
    void anAnswerWithoutARequiredAttributeIsCaught() {
        String member = """
                {"data":[{"type":"profile","id":"01GDDKASAP8TKDDA2GRZDSVP4H","attributes":{"email":null},
                  "links":{"self":"https://a.klaviyo.com/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H/"}}],
                 "links":{"self":"https://a.klaviyo.com/api/lists/Y6nRLr/profiles/","next":null}}""";

        assertThat(CONTRACT.checkResponse("get_profiles_for_list", 200, member),
                contains("$.data[0].attributes lacks required 'joined_group_at'"));
    }

    @Test
    void anAnswerWithWrongTypesIsCaught() {
        String list = """
                {"data":{"type":"lists","id":"Y6nRLr","attributes":{"name":7,"created":"yesterday"},
                  "links":{"self":"https://a.klaviyo.com/api/lists/Y6nRLr/"}},
                 "links":{"self":"https://a.klaviyo.com/api/lists/Y6nRLr/"}}""";

        List<String> problems = CONTRACT.checkResponse("get_list", 200, list);

        assertThat(problems, hasItem(containsString("$.data.type = \"lists\" is not one of")));
        assertThat(problems, hasItem(containsString("$.data.attributes.name should be string")));
        assertThat(problems, hasItem(containsString("$.data.attributes.created = \"yesterday\" is not an RFC 3339 date-time")));
    }

    @Test
    void anErrorAnswerMustCarryKlaviyosErrorFields() {
        assertThat(CONTRACT.checkResponse("get_list", 404, "{\"errors\":[{\"id\":\"1\",\"code\":\"not_found\"}]}"),
                hasItem(containsString("lacks required 'detail'")));
    }
}
