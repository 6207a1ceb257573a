package io.github.klaviyosync.gateway.member;

import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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
                consentWord(profile.smsConsent()),
                consentTime(profile.smsConsent()),
                consentWord(profile.emailConsent()),
                consentTime(profile.emailConsent()),
                profile.updated(),
                profile.joinedGroupAt());
    }

    /** Klaviyo's word when it is one of the three the gateway knows; anything else is not recorded. */
    static String consentWord(ConsentState state) {
        if (state == null || state.consent() == null) {
            return null;
        }
        try {
            return Consent.fromWire(state.consent()).wire();
        } catch (IllegalArgumentException unknownWord) {
            return null;
        }
    }

    /** When the consent was given, or else when it last changed. */
    static Instant consentTime(ConsentState state) {
        if (state == null) {
            return null;
        }
        return state.consentTimestamp() != null ? state.consentTimestamp() : state.lastUpdated();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
