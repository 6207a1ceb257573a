package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps Klaviyo's profiles to the people the gateway stores; polls and webhook lookups map them alike. */
@ApplicationScoped
public class KlaviyoPeople {

    private final PhoneNumbers phones;

    KlaviyoPeople(PhoneNumbers phones) {
        this.phones = phones;
    }

    /**
     * The page's people, one per profile (a profile listed twice keeps its last appearance), ordered
     * by profile id: two lists sharing members then lock their subscriber rows in the same order
     * when they commit at once, instead of deadlocking.
     */
    public List<KlaviyoPerson> of(List<MemberProfile> profiles) {
        Map<String, KlaviyoPerson> byId = new TreeMap<>();
        for (MemberProfile profile : profiles) {
            byId.put(profile.id(), of(profile));
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
