package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What each operation answers once a request passed authentication, limits and validation: the
 * JSON:API document, with cursors for the next page. Members page by ({@code joined_group_at}, id)
 * after the previous page's last member, profiles and lists by (sort key, id) after the previous
 * page's last item (see {@link Keyset}), so items added, changed or removed during a walk shift nothing.
 */
final class SimHandlers {

    /** Everything a handler needs to know about the request. */
    record Call(SimulatedAccount account, SimOperation operation, SimQuery query, String pathId,
            String base, String path, String self) {
    }

    private SimHandlers() {
    }

    static JsonObject accounts(Call call) {
        JsonObject account = JsonApiWriter.sparse(JsonApiWriter.account(call.account(), call.base()),
                call.query().fieldsOf("account"));
        return JsonApiWriter.collection(List.of(account), call.self(), null, call.account().lastPageLinks());
    }

    static JsonObject list(Call call) {
        SimList found = call.account().list(call.pathId());
        JsonObject resource = JsonApiWriter.list(found, call.base());
        if (call.query().additionalFields().contains("profile_count")) {
            resource.getJsonObject("attributes").put("profile_count", call.account().memberCount(found.id));
        }
        JsonObject list = JsonApiWriter.sparse(resource, call.query().fieldsOf("list"));
        return JsonApiWriter.included(JsonApiWriter.single(list, call.self()), call.query().include());
    }

    /** {@code get_lists}: the account's lists matching the filter, by id unless sorted otherwise. */
    static JsonObject lists(Call call) {
        SimQuery query = call.query();
        String scope = "lists " + query.sort();
        PageCursor cursor = cursor(call, scope);
        Keyset<SimList> order = listOrder(query.sort());
        List<SimList> found = order.page(call.account().lists(), cursor == null ? null : cursor.position(),
                list -> query.filter().stream().allMatch(condition -> listMatches(list, condition)), query.pageSize() + 1);
        boolean more = found.size() > query.pageSize();
        List<SimList> page = more ? found.subList(0, query.pageSize()) : found;
        List<JsonObject> data = page.stream()
                .map(list -> JsonApiWriter.sparse(JsonApiWriter.list(list, call.base()), query.fieldsOf("list")))
                .toList();
        String next = more ? nextLink(call, keysetCursor(scope, cursor, order.position(page.get(page.size() - 1)))) : null;
        return JsonApiWriter.included(JsonApiWriter.collection(data, call.self(), next, call.account().lastPageLinks()),
                query.include());
    }

    /**
     * {@code get_profiles_for_list} ({@code idsOnly} false) and {@code get_profile_ids_for_list},
     * written out: each profile's JSON comes from the account's {@link RenderedMembers}.
     */
    static String members(Call call, boolean idsOnly) {
        SimulatedAccount account = call.account();
        String listId = call.pathId();
        account.list(listId);
        String scope = call.operation().operationId() + ":" + listId + " " + call.query().sort();
        PageCursor cursor = cursor(call, scope);
        if (!idsOnly) {
            int failure = account.faults().takePageFailure(listId, page(cursor));
            if (failure != 0) {
                String detail = account.faults().pageFailureDetail(listId);
                throw new SimulatorRequestException(failure, failure == 400 ? "invalid" : "error", "Injected failure.",
                        detail != null ? detail : "Page " + page(cursor) + " of this list fails (injected).", null);
            }
        }
        SimQuery query = call.query();
        boolean descending = "-joined_group_at".equals(query.sort());
        SimList.Membership after = cursor == null ? null : new SimList.Membership(cursor.lastId(), cursor.lastJoinedAt());
        List<SimulatedAccount.Member> members = account.membersPage(listId, after, descending,
                descending ? null : lowerBound(query.filter()), memberFilter(query.filter()), query.pageSize() + 1);
        boolean more = members.size() > query.pageSize();
        List<SimulatedAccount.Member> page = more ? members.subList(0, query.pageSize()) : members;
        boolean subscriptions = query.additionalFields().contains("subscriptions");
        String variant = query.fieldsOf("profile") + " " + subscriptions + " " + call.base();
        List<String> data = page.stream()
                .map(member -> idsOnly ? JsonApiWriter.identifier("profile", member.profile().id()).encode()
                        : account.renderedMembers().json(member, variant, () -> memberJson(call, member, subscriptions)))
                .toList();
        String next = null;
        if (more) {
            SimulatedAccount.Member last = page.get(page.size() - 1);
            next = nextLink(call, new PageCursor(scope, page(cursor) + 1,
                    last.joinedAt().getEpochSecond(), last.profile().id()));
        }
        return JsonApiWriter.collection(data, JsonApiWriter.collectionLinks(call.self(), next, account.lastPageLinks()));
    }

    private static String memberJson(Call call, SimulatedAccount.Member member, boolean subscriptions) {
        return JsonApiWriter.sparse(JsonApiWriter.profile(member.profile(), member.joinedAt(), subscriptions, call.base()),
                call.query().fieldsOf("profile")).encode();
    }

    static JsonObject profile(Call call) {
        StoredProfile profile = call.account().profile(call.pathId());
        boolean subscriptions = call.query().additionalFields().contains("subscriptions");
        JsonObject resource = JsonApiWriter.sparse(JsonApiWriter.profile(profile, null, subscriptions, call.base()),
                call.query().fieldsOf("profile"));
        return JsonApiWriter.included(JsonApiWriter.single(resource, call.self()), call.query().include());
    }

    /**
     * {@code get_profiles}: the account's profiles matching the filter, by id unless sorted
     * otherwise. A profile whose sort key moves during a walk (its {@code updated}, say) is served
     * again at its new place if that lies ahead, and not at all if it lies behind.
     */
    static JsonObject profiles(Call call) {
        SimQuery query = call.query();
        String scope = "profiles " + query.sort();
        PageCursor cursor = cursor(call, scope);
        int failure = call.account().faults().takePageFailure(SimFaults.PROFILES, page(cursor));
        if (failure != 0) {
            throw new SimulatorRequestException(failure, "error", "Injected failure.",
                    "Page " + page(cursor) + " of these profiles fails (injected).", null);
        }
        Keyset<StoredProfile> order = SimProfiles.order(query.sort());
        List<StoredProfile> found = call.account().profilesPage(query.sort(),
                cursor == null ? null : cursor.position(), namedIds(query.filter()), updatedAfter(query.filter()),
                profile -> query.filter().stream().allMatch(condition -> profileMatches(profile, condition)),
                query.pageSize() + 1);
        boolean more = found.size() > query.pageSize();
        List<StoredProfile> page = more ? found.subList(0, query.pageSize()) : found;
        boolean subscriptions = query.additionalFields().contains("subscriptions");
        List<JsonObject> data = page.stream()
                .map(profile -> JsonApiWriter.sparse(JsonApiWriter.profile(profile, null, subscriptions, call.base()),
                        query.fieldsOf("profile")))
                .toList();
        String next = more ? nextLink(call, keysetCursor(scope, cursor, order.position(page.get(page.size() - 1)))) : null;
        return JsonApiWriter.included(JsonApiWriter.collection(data, call.self(), next, call.account().lastPageLinks()),
                query.include());
    }

    static JsonObject profileLists(Call call) {
        List<JsonObject> data = call.account().listsOf(call.pathId()).stream()
                .map(listId -> JsonApiWriter.identifier("list", listId))
                .toList();
        return JsonApiWriter.collection(data, call.self(), null, call.account().lastPageLinks());
    }

    private static PageCursor cursor(Call call, String scope) {
        String cursor = call.query().cursor();
        if (cursor == null) {
            return null;
        }
        if (call.account().faults().refusesCursors()) {
            throw PageCursor.invalid();
        }
        PageCursor decoded = PageCursor.decode(cursor, scope);
        if (call.account().faults().expired(decoded.issuedAtMillis())) {
            throw PageCursor.invalid();
        }
        return decoded;
    }

    private static int page(PageCursor cursor) {
        return cursor == null ? 1 : cursor.page();
    }

    private static PageCursor keysetCursor(String scope, PageCursor previous, Keyset.Position last) {
        return new PageCursor(scope, page(previous) + 1, last.key(), last.id());
    }

    /** The ids an {@code id} filter names (the intersection, when there are several), or null without one. */
    private static Set<String> namedIds(List<FilterParser.Condition> filter) {
        Set<String> ids = null;
        for (FilterParser.Condition condition : filter) {
            if ("id".equals(condition.field())) {
                Set<String> named = new HashSet<>(condition.values());
                if (ids != null) {
                    named.retainAll(ids);
                }
                ids = named;
            }
        }
        return ids;
    }

    /** The latest {@code greater-than(updated,...)} bound of the filter, or null. */
    private static Instant updatedAfter(List<FilterParser.Condition> filter) {
        return filter.stream()
                .filter(condition -> "updated".equals(condition.field()) && "greater-than".equals(condition.operator()))
                .map(FilterParser.Condition::time)
                .max(Comparator.naturalOrder())
                .orElse(null);
    }

    /** The request's own URL with {@code page[cursor]} replaced: what Klaviyo puts in {@code links.next}. */
    private static String nextLink(Call call, PageCursor cursor) {
        List<String> pairs = new ArrayList<>();
        pairs.add(encode("page[cursor]") + "=" + encode(cursor.encode()));
        for (Map.Entry<String, String> parameter : call.query().raw().entrySet()) {
            if (!"page[cursor]".equals(parameter.getKey())) {
                pairs.add(encode(parameter.getKey()) + "=" + encode(parameter.getValue()));
            }
        }
        return call.base() + call.path() + "?" + String.join("&", pairs);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Instant lowerBound(List<FilterParser.Condition> filter) {
        return filter.stream()
                .filter(condition -> "joined_group_at".equals(condition.field()))
                .filter(condition -> condition.operator().startsWith("greater"))
                .map(FilterParser.Condition::time)
                .max(Comparator.naturalOrder())
                .orElse(null);
    }

    /** The filter's test of a member, or null without a filter (every member: no test per member). */
    private static Predicate<SimulatedAccount.Member> memberFilter(List<FilterParser.Condition> filter) {
        return filter.isEmpty() ? null : member -> filter.stream().allMatch(condition -> memberMatches(member, condition));
    }

    private static boolean memberMatches(SimulatedAccount.Member member, FilterParser.Condition condition) {
        SimProfile person = member.profile().person();
        return switch (condition.field()) {
            case "joined_group_at" -> compare(member.joinedAt(), condition);
            case "email" -> person.email() != null && condition.values().contains(person.email());
            case "phone_number" -> person.phone() != null && condition.values().contains(person.phone());
            default -> false;
        };
    }

    private static boolean profileMatches(StoredProfile profile, FilterParser.Condition condition) {
        SimProfile person = profile.person();
        return switch (condition.field()) {
            case "id" -> condition.values().contains(profile.id());
            case "email" -> person.email() != null && condition.values().contains(person.email());
            case "phone_number" -> person.phone() != null && condition.values().contains(person.phone());
            case "external_id" -> person.externalId() != null && condition.values().contains(person.externalId());
            case "created" -> compare(profile.created(), condition);
            case "updated" -> compare(profile.updated(), condition);
            // _kx (an email link's token) and suppressions: the simulator's profiles have none.
            default -> false;
        };
    }

    private static boolean listMatches(SimList list, FilterParser.Condition condition) {
        return switch (condition.field()) {
            case "created" -> compare(list.created, condition);
            case "updated" -> compare(list.updated, condition);
            case "name" -> condition.values().contains(list.name);
            case "id" -> condition.values().contains(list.id);
            default -> false;
        };
    }

    private static boolean compare(Instant value, FilterParser.Condition condition) {
        int order = value.compareTo(condition.time());
        return switch (condition.operator()) {
            case "greater-than" -> order > 0;
            case "greater-or-equal" -> order >= 0;
            case "less-than" -> order < 0;
            case "less-or-equal" -> order <= 0;
            default -> false;
        };
    }

    /** The order of {@code get_lists} for a {@code sort} value (null: by id); ties by id. */
    private static Keyset<SimList> listOrder(String sort) {
        boolean descending = sort != null && sort.startsWith("-");
        String field = sort == null ? "id" : descending ? sort.substring(1) : sort;
        return switch (field) {
            case "created" -> new Keyset<>(list -> Keyset.timeKey(list.created), list -> list.id, descending);
            case "updated" -> new Keyset<>(list -> Keyset.timeKey(list.updated), list -> list.id, descending);
            case "name" -> new Keyset<>(list -> Keyset.textKey(list.name), list -> list.id, descending);
            default -> new Keyset<>(list -> "", list -> list.id, descending);
        };
    }
}
