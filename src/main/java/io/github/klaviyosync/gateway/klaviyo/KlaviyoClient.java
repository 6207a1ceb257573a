package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.AccountInfo;
import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoCredentials;
import io.github.klaviyosync.gateway.klaviyo.model.ListItem;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * The gateway's only view of Klaviyo. Every call goes through the account's rate governor, is
 * retried when Klaviyo says so, and fails with a typed {@link KlaviyoException}. Paged operations are
 * streams of pages that follow {@code links.next}, so callers can checkpoint after each page.
 *
 * <p>SKELETON: signatures fixed by the foundation; the implementation arrives with issue 3.
 */
@ApplicationScoped
public class KlaviyoClient {

    /** The key's own account ({@code GET /api/accounts}). 401/403 → {@link KlaviyoAuthException}. */
    public Uni<AccountInfo> account(KlaviyoCredentials credentials) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** All the account's lists, 10 a page; {@code createdAfter} (nullable) filters on {@code created}. */
    public Multi<Page<ListItem>> lists(KlaviyoCredentials credentials, Instant createdAfter) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** One list. 404 → {@link KlaviyoNotFoundException}: the list was deleted. */
    public Uni<ListItem> list(KlaviyoCredentials credentials, String listId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /**
     * A list's members who joined at or after {@code joinedAtOrAfter} (null: all), sorted by
     * {@code joined_group_at}, 100 a page, with subscriptions. With {@code resumeFrom} (a
     * {@link Page#nextUrl()} checkpointed earlier) the stream starts at that page; when Klaviyo
     * refuses that cursor, it starts again from {@code joinedAtOrAfter}.
     */
    public Multi<Page<MemberProfile>> members(
            KlaviyoCredentials credentials, String listId, Instant joinedAtOrAfter, String resumeFrom) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Every member id of a list ({@code relationships/profiles}), 100 a page. */
    public Multi<Page<String>> memberIds(KlaviyoCredentials credentials, String listId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** One profile with subscriptions. 404 → {@link KlaviyoNotFoundException}. */
    public Uni<MemberProfile> profile(KlaviyoCredentials credentials, String profileId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** The ids of the lists a profile is on. */
    public Uni<List<String>> profileListIds(KlaviyoCredentials credentials, String profileId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** The account's key was replaced: its calls, stopped after a 401/403, may go again. */
    public void resume(String accountKey) {
        throw new UnsupportedOperationException("issue 3");
    }
}
