package io.github.klaviyosync.gateway.status.query;

import io.github.klaviyosync.gateway.member.Consent;
import io.github.klaviyosync.gateway.member.ListMembership;
import io.github.klaviyosync.gateway.member.Subscriber;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A list's members, a page at a time, by keyset on {@code (joined_at, subscriber_id)}: each page
 * starts just after the cursor through the {@code list_membership_page} index, so a page costs the
 * same at member 100,000 as at member 1, and members inserted meanwhile never shift a page (no
 * duplicates, no gaps). Members without {@code joined_at} come last, ordered by subscriber id.
 */
@ApplicationScoped
@WithSession
public class MemberQueries {

    private static final String SELECT = "select new " + ListedMember.class.getName()
            + "(m, s) from ListMembership m join Subscriber s on s.id = m.subscriberId"
            + " where m.listId = :list";
    private static final String JOINED_AFTER = " and m.joinedAt >= :joined"
            + " and (m.joinedAt > :joined or m.subscriberId > :subscriber)"
            + " order by m.joinedAt, m.subscriberId";
    private static final String JOINED_ANY = " and m.joinedAt is not null order by m.joinedAt, m.subscriberId";
    private static final String NOT_JOINED = " and m.joinedAt is null and m.subscriberId > :subscriber order by m.subscriberId";

    private final Scope scope;

    MemberQueries(Scope scope) {
        this.scope = scope;
    }

    /** Which members a page shows. */
    public record MemberFilter(Consent smsConsent, boolean includeRemoved) {
    }

    /** A membership and its subscriber. */
    public record ListedMember(ListMembership membership, Subscriber subscriber) {
    }

    /** Up to {@code limit} members and the cursor of the next page (null on the last). */
    public record MemberPage(List<ListedMember> rows, MemberCursor next) {
    }

    public Uni<MemberPage> page(UUID accountId, String klaviyoListId, MemberFilter filter, MemberCursor after, int limit) {
        return scope.list(accountId, klaviyoListId)
                .chain(list -> rows(list.id, filter, after, limit + 1))
                .map(rows -> toPage(rows, limit));
    }

    /** Rows with a join time first, then those without: two index range scans, never an OFFSET. */
    private Uni<List<ListedMember>> rows(long listId, MemberFilter filter, MemberCursor after, int wanted) {
        if (after != null && after.joinedAt() == null) {
            return notJoined(listId, filter, after.subscriberId(), wanted);
        }
        return joined(listId, filter, after, wanted)
                .chain(joined -> joined.size() >= wanted
                        ? Uni.createFrom().item(joined)
                        : notJoined(listId, filter, Long.MIN_VALUE, wanted - joined.size()).map(rest -> concat(joined, rest)));
    }

    private Uni<List<ListedMember>> joined(long listId, MemberFilter filter, MemberCursor after, int wanted) {
        String hql = SELECT + filters(filter) + (after == null ? JOINED_ANY : JOINED_AFTER);
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createSelectionQuery(hql, ListedMember.class)
                            .setParameter("list", listId)
                            .setMaxResults(wanted);
                    if (after != null) {
                        query.setParameter("joined", after.joinedAt()).setParameter("subscriber", after.subscriberId());
                    }
                    bindFilters(query, filter);
                    return query.getResultList();
                });
    }

    private Uni<List<ListedMember>> notJoined(long listId, MemberFilter filter, long afterSubscriber, int wanted) {
        String hql = SELECT + filters(filter) + NOT_JOINED;
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createSelectionQuery(hql, ListedMember.class)
                            .setParameter("list", listId)
                            .setParameter("subscriber", afterSubscriber)
                            .setMaxResults(wanted);
                    bindFilters(query, filter);
                    return query.getResultList();
                });
    }

    private static String filters(MemberFilter filter) {
        return (filter.includeRemoved() ? "" : " and m.removedAt is null")
                + (filter.smsConsent() == null ? "" : " and s.smsConsent = :consent");
    }

    private static void bindFilters(Mutiny.SelectionQuery<ListedMember> query, MemberFilter filter) {
        if (filter.smsConsent() != null) {
            query.setParameter("consent", filter.smsConsent());
        }
    }

    private static List<ListedMember> concat(List<ListedMember> first, List<ListedMember> second) {
        List<ListedMember> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static MemberPage toPage(List<ListedMember> rows, int limit) {
        if (rows.size() <= limit) {
            return new MemberPage(rows, null);
        }
        List<ListedMember> page = rows.subList(0, limit);
        ListMembership last = page.get(limit - 1).membership();
        return new MemberPage(page, new MemberCursor(last.joinedAt, last.subscriberId));
    }
}
