package io.github.klaviyosync.gateway.simulator;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What each operation answers once a request passed authentication, limits and validation: the
 * JSON:API document, with cursors for the next page. Members page by ({@code joined_group_at}, id)
 * after the previous page's last member, so members added or removed during a sync shift nothing.
 */
final class SimHandlers {

    /** Everything a handler needs to know about the request. */
    record Call(SimulatedAccount account, SimOperation operation, SimQuery query, String pathId,
            String base, String path, String self) {
    }

    private SimHandlers() {
    }

    static JsonObject accounts(Call call) {
        return JsonApiWriter.collection(List.of(JsonApiWriter.account(call.account(), call.base())),
                call.self(), null, call.account().lastPageLinks());
    }

    static JsonObject list(Call call) {
        return JsonApiWriter.single(JsonApiWriter.list(call.account().list(call.pathId()), call.base()), call.self());
    }

    static JsonObject lists(Call call) {
        SimQuery query = call.query();
        PageCursor cursor = cursor(call, "lists");
        int offset = cursor == null ? 0 : (int) cursor.seconds();
        List<SimList> matching = call.account().lists().stream()
                .filter(list -> query.filter().stream().allMatch(condition -> listMatches(list, condition)))
                .sorted(listOrder(query.sort()))
                .toList();
        int end = Math.min(matching.size(), offset + query.pageSize());
        List<JsonObject> data = matching.subList(Math.min(offset, end), end).stream()
                .map(list -> JsonApiWriter.list(list, call.base()))
                .toList();
        String next = end < matching.size()
                ? nextLink(call, new PageCursor("lists", page(cursor) + 1, end, "")) : null;
        return JsonApiWriter.collection(data, call.self(), next, call.account().lastPageLinks());
    }

    /** {@code get_profiles_for_list} ({@code idsOnly} false) and {@code get_profile_ids_for_list}. */
    static JsonObject members(Call call, boolean idsOnly) {
        SimulatedAccount account = call.account();
        String listId = call.pathId();
        account.list(listId);
        String scope = call.operation().operationId() + ":" + listId;
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
        List<JsonObject> data = page.stream()
                .map(member -> idsOnly ? JsonApiWriter.identifier("profile", member.profile().id())
                        : JsonApiWriter.profile(member.profile(), member.joinedAt(), subscriptions, call.base()))
                .toList();
        String next = null;
        if (more) {
            SimulatedAccount.Member last = page.get(page.size() - 1);
            next = nextLink(call, new PageCursor(scope, page(cursor) + 1,
                    last.joinedAt().getEpochSecond(), last.profile().id()));
        }
        return JsonApiWriter.collection(data, call.self(), next, account.lastPageLinks());
    }

    static JsonObject profile(Call call) {
        StoredProfile profile = call.account().profile(call.pathId());
        boolean subscriptions = call.query().additionalFields().contains("subscriptions");
        return JsonApiWriter.single(JsonApiWriter.profile(profile, null, subscriptions, call.base()), call.self());
    }

    /** {@code get_profiles}: the account's profiles matching the filter, by id unless sorted otherwise. */
    static JsonObject profiles(Call call) {
        SimQuery query = call.query();
        PageCursor cursor = cursor(call, "profiles");
        int offset = cursor == null ? 0 : (int) cursor.seconds();
        List<StoredProfile> matching = call.account().profiles().stream()
                .filter(profile -> query.filter().stream().allMatch(condition -> profileMatches(profile, condition)))
                .sorted(profileOrder(query.sort()))
                .toList();
        int end = Math.min(matching.size(), offset + query.pageSize());
        boolean subscriptions = query.additionalFields().contains("subscriptions");
        List<JsonObject> data = matching.subList(Math.min(offset, end), end).stream()
                .map(profile -> JsonApiWriter.profile(profile, null, subscriptions, call.base()))
                .toList();
        String next = end < matching.size()
                ? nextLink(call, new PageCursor("profiles", page(cursor) + 1, end, "")) : null;
        return JsonApiWriter.collection(data, call.self(), next, call.account().lastPageLinks());
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

    private static Predicate<SimulatedAccount.Member> memberFilter(List<FilterParser.Condition> filter) {
        return member -> filter.stream().allMatch(condition -> memberMatches(member, condition));
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
            default -> false;
        };
    }

    private static Comparator<StoredProfile> profileOrder(String sort) {
        String field = sort == null ? "id" : sort.replace("-", "");
        Comparator<StoredProfile> order = switch (field) {
            case "created" -> Comparator.comparing(StoredProfile::created);
            case "updated" -> Comparator.comparing(StoredProfile::updated);
            case "email" -> Comparator.comparing(profile -> String.valueOf(profile.person().email()));
            default -> Comparator.comparing(StoredProfile::id);
        };
        order = order.thenComparing(StoredProfile::id);
        return sort != null && sort.startsWith("-") ? order.reversed() : order;
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

    private static Comparator<SimList> listOrder(String sort) {
        String field = sort == null ? "id" : sort.replace("-", "");
        Comparator<SimList> order = switch (field) {
            case "created" -> Comparator.comparing((SimList list) -> list.created);
            case "updated" -> Comparator.comparing((SimList list) -> list.updated);
            case "name" -> Comparator.comparing((SimList list) -> list.name);
            default -> Comparator.comparing((SimList list) -> list.id);
        };
        order = order.thenComparing(list -> list.id);
        return sort != null && sort.startsWith("-") ? order.reversed() : order;
    }
}
