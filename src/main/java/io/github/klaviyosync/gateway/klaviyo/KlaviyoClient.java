package io.github.klaviyosync.gateway.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.klaviyo.model.AccountInfo;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The gateway's only view of Klaviyo. Every call spends a permit of the account's shared budget, is
 * retried when Klaviyo says so, and fails with a typed {@link KlaviyoException}. Paged operations are
 * streams of pages that follow {@code links.next}, so callers can checkpoint after each page; a page
 * is fetched only when the subscriber asks for it.
 */
@ApplicationScoped
public class KlaviyoClient {

    private static final Logger LOG = Logger.getLogger(KlaviyoClient.class);
    /** Klaviyo's filter datetimes: unquoted RFC 3339 with an offset, second precision. */
    private static final DateTimeFormatter FILTER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    /** The largest pages the spec allows: 10 lists, 100 members or profiles. */
    private static final int LISTS_PAGE_SIZE = 10;
    private static final int MEMBERS_PAGE_SIZE = 100;
    private static final int PROFILES_PAGE_SIZE = 100;
    private static final String SUBSCRIPTIONS = "subscriptions";
    private static final String PROFILE_COUNT = "profile_count";
    private static final String BY_JOINED_AT = "joined_group_at";
    private static final String BY_UPDATED = "updated";

    private final KlaviyoApi api;
    private final KlaviyoCalls calls;
    private final AccountStops stops;
    private final QuotaCache quota;
    private final URI baseUri;
    private final String revision;

    KlaviyoClient(GatewayConfig config, KlaviyoCalls calls, AccountStops stops, QuotaCache quota) {
        GatewayConfig.Klaviyo klaviyo = config.klaviyo();
        this.baseUri = URI.create(klaviyo.baseUrl());
        this.revision = klaviyo.revision();
        this.calls = calls;
        this.stops = stops;
        this.quota = quota;
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(klaviyo.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(klaviyo.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .followRedirects(false)
                .build(KlaviyoApi.class);
    }

    /** The key's own account ({@code GET /api/accounts}). 401/403 → {@link KlaviyoAuthException}. */
    public Uni<AccountInfo> account(KlaviyoCredentials credentials) {
        return calls.send(credentials, KlaviyoOperation.GET_ACCOUNTS, auth -> api.getAccounts(auth, revision))
                .map(JsonApiReader::account);
    }

    /** All the account's lists, 10 a page; {@code createdAfter} (nullable) filters on {@code created}. */
    public Multi<Page<ListItem>> lists(KlaviyoCredentials credentials, Instant createdAfter) {
        return listsWith(credentials, greaterThan("created", createdAfter));
    }

    /**
     * The account's lists whose {@code updated} is after {@code after} (null: all), 10 a page: lists
     * created or renamed since then (and, as Klaviyo may count it, lists that people joined). Klaviyo
     * compares whole seconds, so {@code after} counts without its fraction, and a list updated in
     * that same second is not returned: pass a checkpoint with a margin.
     */
    public Multi<Page<ListItem>> listsUpdatedSince(KlaviyoCredentials credentials, Instant after) {
        return listsWith(credentials, greaterThan("updated", after));
    }

    private Multi<Page<ListItem>> listsWith(KlaviyoCredentials credentials, String filter) {
        return pages(credentials, KlaviyoOperation.GET_LISTS, tree(JsonApiReader::list),
                first(credentials, KlaviyoOperation.GET_LISTS, tree(JsonApiReader::list),
                        auth -> api.getLists(auth, revision, filter, LISTS_PAGE_SIZE)));
    }

    /** One list. 404 → {@link KlaviyoNotFoundException}: the list was deleted. */
    public Uni<ListItem> list(KlaviyoCredentials credentials, String listId) {
        return calls.send(credentials, KlaviyoOperation.GET_LIST, auth -> api.getList(auth, revision, listId, null))
                .map(document -> JsonApiReader.list(document.path("data")));
    }

    /**
     * How many profiles the list has ({@code additional-fields[list]=profile_count}, which Klaviyo
     * allows only 1/s and 15/min), or null when the answer does not say. 404 → {@link KlaviyoNotFoundException}.
     */
    public Uni<Integer> listProfileCount(KlaviyoCredentials credentials, String listId) {
        return calls.send(credentials, KlaviyoOperation.GET_LIST_PROFILE_COUNT,
                        auth -> api.getList(auth, revision, listId, PROFILE_COUNT))
                .map(document -> JsonApiReader.profileCount(document.path("data")));
    }

    /**
     * A list's members who joined at or after {@code joinedAtOrAfter} (null: all), sorted by
     * {@code joined_group_at}, 100 a page, with subscriptions. With {@code resumeFrom} (a
     * {@link Page#nextUrl()} checkpointed earlier) the stream starts at that page; when Klaviyo
     * refuses that cursor, it starts again from {@code joinedAtOrAfter}.
     */
    public Multi<Page<MemberProfile>> members(
            KlaviyoCredentials credentials, String listId, Instant joinedAtOrAfter, String resumeFrom) {
        KlaviyoOperation operation = KlaviyoOperation.GET_PROFILES_FOR_LIST;
        String filter = joinedAtOrAfter == null ? null
                : "greater-or-equal(joined_group_at," + FILTER_TIME.format(joinedAtOrAfter.truncatedTo(ChronoUnit.SECONDS)) + ")";
        Uni<Page<MemberProfile>> fromStart = first(credentials, operation, ProfilePageReader::read,
                auth -> api.getProfilesForList(auth, revision, listId, filter, BY_JOINED_AT, SUBSCRIPTIONS, MEMBERS_PAGE_SIZE));
        Uni<Page<MemberProfile>> firstPage = resumeFrom == null ? fromStart
                : resume(credentials, operation, "list " + listId, resumeFrom, fromStart);
        return pages(credentials, operation, ProfilePageReader::read, firstPage);
    }

    /**
     * The account's profiles whose {@code updated} is after {@code after} (null: every profile),
     * oldest change first ({@code sort=updated}), 100 a page, with subscriptions: the profiles that
     * changed (consent, phone, email) since a time. A profile that changes again during the walk
     * comes again on a later page. With {@code resumeFrom} (a {@link Page#nextUrl()} checkpointed
     * earlier) the stream starts at that page; when Klaviyo refuses that cursor, it starts again from
     * {@code after}. Klaviyo compares whole seconds: {@code after} counts without its fraction, and
     * a profile updated in that same second is not returned, so pass a checkpoint with a margin.
     */
    public Multi<Page<MemberProfile>> profilesUpdatedSince(KlaviyoCredentials credentials, Instant after, String resumeFrom) {
        KlaviyoOperation operation = KlaviyoOperation.GET_PROFILES;
        String filter = greaterThan("updated", after);
        Uni<Page<MemberProfile>> fromStart = first(credentials, operation, ProfilePageReader::read,
                auth -> api.getProfiles(auth, revision, filter, BY_UPDATED, SUBSCRIPTIONS, PROFILES_PAGE_SIZE));
        Uni<Page<MemberProfile>> firstPage = resumeFrom == null ? fromStart
                : resume(credentials, operation, "the profiles updated since " + after, resumeFrom, fromStart);
        return pages(credentials, operation, ProfilePageReader::read, firstPage);
    }

    /**
     * The profiles with these ids, with subscriptions, up to 100 ids a request
     * ({@code any(id,[...])}); ids Klaviyo does not know (deleted, merged away) are absent from the
     * answer, whose order is Klaviyo's. Ids of any length (a ULID, an older profile's 6 characters).
     */
    public Uni<List<MemberProfile>> profilesByIds(KlaviyoCredentials credentials, Collection<String> ids) {
        return profilesMatchingAny(credentials, "id", ids);
    }

    /**
     * The profiles with these emails, with subscriptions, up to 100 emails a request
     * ({@code any(email,[...])}); emails no profile has are absent from the answer. A value a filter
     * string cannot carry (a quote, a backslash, a control character) is skipped: no profile is
     * asked for it.
     */
    public Uni<List<MemberProfile>> profilesByEmails(KlaviyoCredentials credentials, Collection<String> emails) {
        return profilesMatchingAny(credentials, "email", emails);
    }

    /** One profile with subscriptions. 404 → {@link KlaviyoNotFoundException}. */
    public Uni<MemberProfile> profile(KlaviyoCredentials credentials, String profileId) {
        return calls.send(credentials, KlaviyoOperation.GET_PROFILE,
                        auth -> api.getProfile(auth, revision, profileId, SUBSCRIPTIONS))
                .map(document -> JsonApiReader.profile(document.path("data")));
    }

    /**
     * The profile whose email is {@code email} (Klaviyo keeps one profile per email), with
     * subscriptions, or null when there is none. For a pushed profile id that is not Klaviyo's.
     */
    public Uni<MemberProfile> profileWithEmail(KlaviyoCredentials credentials, String email) {
        return profileMatching(credentials, "email", email);
    }

    /** The first profile whose phone number is {@code e164}, with subscriptions, or null when there is none. */
    public Uni<MemberProfile> profileWithPhone(KlaviyoCredentials credentials, String e164) {
        return profileMatching(credentials, "phone_number", e164);
    }

    /** The ids of the lists a profile is on. */
    public Uni<List<String>> profileListIds(KlaviyoCredentials credentials, String profileId) {
        KlaviyoOperation operation = KlaviyoOperation.GET_LIST_IDS_FOR_PROFILE;
        return pages(credentials, operation, tree(JsonApiReader::id),
                        first(credentials, operation, tree(JsonApiReader::id),
                                auth -> api.getListIdsForProfile(auth, revision, profileId)))
                .onItem().transformToIterable(Page::items)
                .collect().asList();
    }

    /** {@code get_profiles} with {@code equals(field,"value")}: the first match, or null. */
    private Uni<MemberProfile> profileMatching(KlaviyoCredentials credentials, String field, String value) {
        if (!AnyFilters.carryable(value)) {
            // Not a value a filter string can carry as it is; Klaviyo holds no profile under it anyway.
            return Uni.createFrom().nullItem();
        }
        String filter = AnyFilters.equalsFilter(field, value);
        return first(credentials, KlaviyoOperation.GET_PROFILES, ProfilePageReader::read,
                        auth -> api.getProfiles(auth, revision, filter, null, SUBSCRIPTIONS, 1))
                .map(page -> page.items().isEmpty() ? null : page.items().get(0));
    }

    /** {@code get_profiles} with {@code any(field,[...])}, batch after batch, every page of each. */
    private Uni<List<MemberProfile>> profilesMatchingAny(KlaviyoCredentials credentials, String field, Collection<String> values) {
        return Multi.createFrom().iterable(AnyFilters.batches(field, values))
                .onItem().transformToMultiAndConcatenate(filter -> profilesMatching(credentials, filter))
                .onItem().transformToIterable(Page::items)
                .collect().asList();
    }

    private Multi<Page<MemberProfile>> profilesMatching(KlaviyoCredentials credentials, String filter) {
        KlaviyoOperation operation = KlaviyoOperation.GET_PROFILES;
        return pages(credentials, operation, ProfilePageReader::read, first(credentials, operation, ProfilePageReader::read,
                auth -> api.getProfiles(auth, revision, filter, null, SUBSCRIPTIONS, AnyFilters.MOST_VALUES)));
    }

    /** {@code greater-than(field,<time>)} in whole seconds, or null without a time. */
    private static String greaterThan(String field, Instant after) {
        return after == null ? null : "greater-than(" + field + "," + FILTER_TIME.format(after.truncatedTo(ChronoUnit.SECONDS)) + ")";
    }

    /**
     * How long the key's account ({@link #account}) would wait now for its pace (Klaviyo allows few
     * such calls a minute), so that an interactive caller can be told to come back instead of waiting.
     */
    public Duration accountCallWait(String accountKey) {
        return Duration.ofMillis(quota.millisUntilFree(accountKey, KlaviyoOperation.GET_ACCOUNTS));
    }

    /** The account's key was replaced: its calls, stopped after a 401/403, may go again. */
    public void resume(String accountKey) {
        stops.resume(accountKey);
    }

    /** Whether the account's calls are stopped because Klaviyo refused its key. */
    public boolean isStopped(String accountKey) {
        return stops.isStopped(accountKey);
    }

    /** Pages read as a tree, each item of {@code data} by {@code reader}. */
    private static <T> KlaviyoCalls.BodyReader<Page<T>> tree(Function<JsonNode, T> reader) {
        return (mapper, body) -> JsonApiReader.page(mapper.readTree(body), reader);
    }

    private <T> Uni<Page<T>> first(KlaviyoCredentials credentials, KlaviyoOperation operation,
            KlaviyoCalls.BodyReader<Page<T>> reader, Function<String, Uni<jakarta.ws.rs.core.Response>> request) {
        return calls.send(credentials, operation, request, reader);
    }

    /** The page at {@code nextUrl}; the URL must point under the configured base URL. */
    private <T> Uni<Page<T>> follow(KlaviyoCredentials credentials, KlaviyoOperation operation,
            KlaviyoCalls.BodyReader<Page<T>> reader, String nextUrl) {
        NextLink link = NextLink.under(baseUri, nextUrl);
        if (link == null) {
            return Uni.createFrom().failure(new KlaviyoException(
                    operation.operationId() + ": links.next does not point under the configured Klaviyo base URL", 0, List.of()));
        }
        return first(credentials, operation, reader, auth -> api.follow(auth, revision, link.path(), link.query()));
    }

    /**
     * Starts at a checkpointed page of {@code walk} (what the log calls it); a refused or foreign
     * cursor starts again from {@code fromStart}.
     */
    private Uni<Page<MemberProfile>> resume(KlaviyoCredentials credentials, KlaviyoOperation operation,
            String walk, String resumeFrom, Uni<Page<MemberProfile>> fromStart) {
        if (NextLink.under(baseUri, resumeFrom) == null) {
            LOG.warnf("A checkpointed cursor of %s points elsewhere than the configured base URL; starting over", walk);
            return fromStart;
        }
        return follow(credentials, operation, ProfilePageReader::read, resumeFrom)
                .onFailure(KlaviyoClient::isRefusedCursor)
                .recoverWithUni(refused -> restart(walk, fromStart));
    }

    private static Uni<Page<MemberProfile>> restart(String walk, Uni<Page<MemberProfile>> fromStart) {
        LOG.infof("Klaviyo refused the checkpointed cursor of %s; starting again from its filter", walk);
        return fromStart;
    }

    private static boolean isRefusedCursor(Throwable failure) {
        return failure instanceof KlaviyoBadRequestException badRequest
                && badRequest.errors().stream().anyMatch(error -> "page[cursor]".equals(error.source()));
    }

    /** The first page, then each {@code links.next} in turn, one request per page asked for. */
    private <T> Multi<Page<T>> pages(KlaviyoCredentials credentials, KlaviyoOperation operation,
            KlaviyoCalls.BodyReader<Page<T>> reader, Uni<Page<T>> firstPage) {
        return Multi.createBy().repeating()
                .uni(PageCursor<T>::new, cursor -> cursor.advance(firstPage,
                        nextUrl -> follow(credentials, operation, reader, nextUrl)))
                .whilst(page -> !page.isLast());
    }

    /** Where a page stream stands: before the first page, or at the last page fetched. */
    private static final class PageCursor<T> {
        private Page<T> last;

        Uni<Page<T>> advance(Uni<Page<T>> firstPage, Function<String, Uni<Page<T>>> follow) {
            Uni<Page<T>> next = last == null ? firstPage : follow.apply(last.nextUrl());
            return next.invoke(page -> last = page);
        }
    }
}
