package io.github.klaviyosync.gateway.db;

import io.github.klaviyosync.gateway.account.Account;
import io.github.klaviyosync.gateway.account.AccountStatus;
import io.github.klaviyosync.gateway.list.DiscoveredVia;
import io.github.klaviyosync.gateway.list.KlaviyoList;
import io.github.klaviyosync.gateway.member.Subscriber;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Fresh, valid entities for one test each: random account ids keep tests apart in the shared database. */
final class Fixtures {

    private Fixtures() {
    }

    /** Now, at PostgreSQL's precision, so that what is read back equals what was written. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static Account account(AccountStatus status) {
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.name = "Round trip " + account.id;
        account.klaviyoAccountId = "KA" + account.id.toString().substring(0, 6);
        account.apiKeySealed = new byte[] {1};
        account.status = status;
        account.createdAt = now();
        account.updatedAt = account.createdAt;
        return account;
    }

    static KlaviyoList list(Account account, String klaviyoListId) {
        KlaviyoList list = new KlaviyoList();
        list.accountId = account.id;
        list.klaviyoListId = klaviyoListId;
        list.name = "SMS signups";
        list.discoveredAt = now();
        list.discoveredVia = DiscoveredVia.DISCOVERY;
        list.nextSyncAt = now();
        list.createdAt = now();
        list.updatedAt = now();
        return list;
    }

    static Subscriber subscriber(Account account, String profileId) {
        Subscriber subscriber = new Subscriber();
        subscriber.accountId = account.id;
        subscriber.klaviyoProfileId = profileId;
        subscriber.email = profileId.toLowerCase() + "@example.com";
        subscriber.createdAt = now();
        subscriber.updatedAt = now();
        return subscriber;
    }
}
