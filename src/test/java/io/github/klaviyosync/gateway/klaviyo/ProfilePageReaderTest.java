package io.github.klaviyosync.gateway.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.klaviyosync.gateway.klaviyo.model.ConsentState;
import io.github.klaviyosync.gateway.klaviyo.model.MemberProfile;
import io.github.klaviyosync.gateway.klaviyo.model.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader of profile pages reads what the tree reader ({@link JsonApiReader}) reads,
 * on Klaviyo's pages and on every odd shape of one: unknown fields, nulls, missing fields, included
 * resources, fields given twice; shapes it leaves to the tree reader read as the tree reads them.
 */
class ProfilePageReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A members page as Klaviyo writes it (revision 2026-07-15), two profiles, with subscriptions. */
    private static final String KLAVIYO_PAGE = """
            {"data":[{"type":"profile","id":"01JBENCH000000000000000001","attributes":{"email":null,
            "phone_number":"+14152000001","external_id":null,"first_name":"Member","last_name":"2","organization":null,
            "locale":null,"title":null,"image":null,"created":"2025-12-31T00:00:00+00:00","updated":"2025-12-31T00:00:00+00:00",
            "last_event_date":null,"location":{"address1":null,"ip":null},"properties":{"vip":true,"tags":["a",{"b":1}]},
            "joined_group_at":"2026-01-01T00:00:01+00:00","subscriptions":{"email":{"marketing":{"can_receive_email_marketing":false,
            "consent":"NEVER_SUBSCRIBED","consent_timestamp":null,"last_updated":"2025-12-31T00:00:00+00:00","method":null,
            "method_detail":"","custom_method_detail":null,"double_optin":null,"suppression":[],"list_suppressions":[]}},
            "sms":{"marketing":{"can_receive_sms_marketing":true,"consent":"SUBSCRIBED","consent_timestamp":"2025-12-31T00:00:00+00:00",
            "method":"FORM","method_detail":"signup form","last_updated":"2025-12-31T00:00:00.123456+00:00"},
            "transactional":{"can_receive_sms_transactional":true}},"mobile_push":{"marketing":{"can_receive_push_marketing":false}}}},
            "relationships":{"lists":{"links":{"self":"x","related":"y"}},"segments":{"data":[{"type":"segment","id":"S1"}]}},
            "links":{"self":"http://127.0.0.1/api/profiles/01JBENCH000000000000000001/"}},
            {"type":"profile","id":"AbC123","attributes":{"email":"ann@example.com","first_name":"Ann",
            "updated":"2026-11-28T03:00:00Z","joined_group_at":"2026-11-28T03:00:00+02:00"},"links":{"self":"z"}}],
            "links":{"self":"http://127.0.0.1/api/lists/L1/profiles/","next":"http://127.0.0.1/api/lists/L1/profiles/?page%5Bcursor%5D=abc",
            "prev":null},"included":[{"type":"profile","id":"OTHER","attributes":{"phone_number":"+15005550006"}}],
            "meta":{"count":2}}
            """;

    @Test
    void readsKlaviyosPageAsTheTreeReaderDoes() throws IOException {
        Page<MemberProfile> page = ProfilePageReader.streamed(MAPPER, bytes(KLAVIYO_PAGE));

        assertNotNull(page, "read by the streaming parser, not left to the tree");
        assertEquals(tree(KLAVIYO_PAGE), page);
        MemberProfile first = page.items().get(0);
        assertEquals("+14152000001", first.phoneNumber());
        assertEquals(Instant.parse("2026-01-01T00:00:01Z"), first.joinedGroupAt());
        assertEquals(new ConsentState("SUBSCRIBED", Instant.parse("2025-12-31T00:00:00Z"),
                Instant.parse("2025-12-31T00:00:00.123456Z")), first.smsConsent());
        assertEquals(new ConsentState("NEVER_SUBSCRIBED", null, Instant.parse("2025-12-31T00:00:00Z")), first.emailConsent());
        MemberProfile second = page.items().get(1);
        assertEquals("AbC123", second.id());
        assertNull(second.phoneNumber(), "no phone_number at all");
        assertNull(second.smsConsent(), "no subscriptions asked for");
        assertEquals(Instant.parse("2026-11-28T01:00:00Z"), second.joinedGroupAt());
        assertEquals("http://127.0.0.1/api/lists/L1/profiles/?page%5Bcursor%5D=abc", page.nextUrl());
        assertEquals(2, page.items().size(), "the included profile is not one of the page's");
    }

    /** Shapes the streaming parser reads itself: each reads as the tree reads it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"data\":[],\"links\":{\"self\":\"s\",\"next\":null}}",
        "{\"links\":{\"next\":\"   \"},\"data\":[{\"id\":\"P1\"}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":null}],\"links\":null}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":[1,2]}],\"links\":[\"next\"]}",
        "{\"data\":[{\"id\":{\"nested\":1},\"attributes\":{\"phone_number\":null,\"email\":[\"a\"],\"created\":\"yesterday\"}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"subscriptions\":null}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"subscriptions\":{\"sms\":null,\"email\":{\"marketing\":null}}}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"subscriptions\":{\"sms\":{\"marketing\":{}}}}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"subscriptions\":{\"sms\":{\"marketing\":{\"consent\":\"SUBSCRIBED\"}},"
                + "\"sms\":{\"marketing\":{\"consent\":\"UNSUBSCRIBED\"}}}}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"subscriptions\":{\"sms\":{\"marketing\":{\"consent\":\"SUBSCRIBED\"},"
                + "\"marketing\":\"gone\"}}}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"subscriptions\":{\"sms\":{\"marketing\":{\"consent\":\"SUBSCRIBED\"}}},"
                + "\"subscriptions\":{\"email\":{\"marketing\":{\"consent\":\"SUBSCRIBED\"}}}}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"phone_number\":\"+14155550000\",\"first_name\":\"A\"},"
                + "\"attributes\":{\"first_name\":\"B\"},\"id\":\"P2\"}]}",
        "{\"data\":[{\"id\":\"P1\"}],\"data\":[{\"id\":\"P2\"},{\"id\":\"P3\"}],\"links\":{\"next\":\"n1\",\"next\":\"n2\"}}",
        "{\"data\":null,\"links\":{\"next\":\"n\"}}",
        "{\"data\":\"none\"}",
        "{}",
        "{\"data\":[{\"id\":\"P1\"}]} trailing"
    })
    void readsOddButOrdinaryShapesAsTheTreeReaderDoes(String document) throws IOException {
        Page<MemberProfile> page = ProfilePageReader.streamed(MAPPER, bytes(document));

        assertNotNull(page, document);
        assertEquals(tree(document), page, document);
    }

    /** Shapes left to the tree reader, which reads them its own way (a number as text, values of an object). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"phone_number\":14155550000}}]}",
        "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"first_name\":true}}]}",
        "{\"data\":{\"one\":{\"id\":\"P1\"}}}",
        "{\"data\":[\"P1\",{\"id\":\"P2\"}]}",
        "{\"data\":[],\"links\":{\"next\":1.5e2}}",
        "[{\"id\":\"P1\"}]",
        "",
        "   "
    })
    void leavesOtherShapesToTheTreeReader(String document) throws IOException {
        assertNull(ProfilePageReader.streamed(MAPPER, bytes(document)), document);
        assertEquals(tree(document), ProfilePageReader.read(MAPPER, bytes(document)), document);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"data\":[{\"id\":\"P1\"", "{\"data\":[{\"id\":\"P1\",\"attributes\":{\"x\":[}}]}", "not json"})
    void failsOnMalformedJsonAsTheTreeReaderDoes(String document) {
        assertThrows(IOException.class, () -> MAPPER.readTree(bytes(document)));
        assertThrows(IOException.class, () -> ProfilePageReader.read(MAPPER, bytes(document)));
    }

    private static Page<MemberProfile> tree(String document) throws IOException {
        return JsonApiReader.page(MAPPER.readTree(bytes(document)), JsonApiReader::profile);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
