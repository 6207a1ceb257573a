package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/** Maps Klaviyo's profiles to the people the gateway stores; polls and webhook lookups map them alike. */
@ApplicationScoped
public class KlaviyoPeople {

    private static final Logger LOG = Logger.getLogger(KlaviyoPeople.class);

    private final PhoneNumbers phones;

    KlaviyoPeople(PhoneNumbers phones) {
        this.phones = phones;
    }

    /**
     * The page's people, one per profile (a profile listed twice keeps its last appearance), ordered
     * by profile id: two lists sharing members then lock their subscriber rows in the same order
     * when they commit at once, instead of deadlocking. A profile without an id is passed over.
     */
    public List<KlaviyoPerson> of(List<MemberProfile> profiles) {
        Map<String, KlaviyoPerson> byId = new TreeMap<>();
        int withoutId = 0;
        for (MemberProfile profile : profiles) {
            if (profile.id() == null || profile.id().isBlank()) {
                withoutId++;
            } else {
                byId.put(profile.id(), of(profile));
            }
        }
        if (withoutId > 0) {
            // Klaviyo's schema allows it (the id is nullable): such a profile names no one to store,
            // and failing the page for it would stop its list's sync (or its account's sweep) for good.
            LOG.warnf("Klaviyo answered %d profile(s) without an id; passed over", withoutId);
        }
        return List.copyOf(byId.values());
    }

    public KlaviyoPerson of(MemberProfile profile) {
        return new KlaviyoPerson(
                profile.id(),
                blankToNull(profile.email()),
                phones.normalise(profile.phoneNumber()),
                blankToNull(profile.firstName()),
                blankToNull(profile.lastName()),
                Consent.wordOf(profile.smsConsent()),
                Consent.timeOf(profile.smsConsent()),
                Consent.wordOf(profile.emailConsent()),
                Consent.timeOf(profile.emailConsent()),
                profile.updated(),
                profile.joinedGroupAt());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
