package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps Klaviyo's member profiles to the rows the gateway stores. */
@ApplicationScoped
public class MemberRows {

    private final PhoneNumbers phones;

    MemberRows(PhoneNumbers phones) {
        this.phones = phones;
    }

    /**
     * The page's rows, one per profile (a profile listed twice keeps its last appearance), ordered
     * by profile id: two lists sharing members then lock their subscriber rows in the same order
     * when they commit at once, instead of deadlocking.
     */
    public List<MemberRow> of(List<MemberProfile> profiles) {
        Map<String, MemberRow> byId = new TreeMap<>();
        for (MemberProfile profile : profiles) {
            byId.put(profile.id(), of(profile));
        }
        return List.copyOf(byId.values());
    }

    public MemberRow of(MemberProfile profile) {
        PhoneNumbers.Normalised phone = phones.normalise(profile.phoneNumber());
        return new MemberRow(
                profile.id(),
                blankToNull(profile.email()),
                phone.e164(),
                phone.raw(),
                phone.invalid(),
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
