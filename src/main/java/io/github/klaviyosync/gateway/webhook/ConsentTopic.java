package io.github.klaviyosync.gateway.webhook;

import io.github.klaviyosync.gateway.member.Consent;
import java.util.Arrays;
import java.util.Optional;

/** The system webhook topics that change a subscriber's marketing consent. */
public enum ConsentTopic {
    SMS_SUBSCRIBED("event:klaviyo.subscribed_to_sms_marketing", Channel.SMS, Consent.SUBSCRIBED),
    SMS_UNSUBSCRIBED("event:klaviyo.unsubscribed_from_sms_marketing", Channel.SMS, Consent.UNSUBSCRIBED),
    EMAIL_SUBSCRIBED("event:klaviyo.subscribed_to_email_marketing", Channel.EMAIL, Consent.SUBSCRIBED),
    EMAIL_UNSUBSCRIBED("event:klaviyo.unsubscribed_from_email_marketing", Channel.EMAIL, Consent.UNSUBSCRIBED);

    /** Which consent column pair a topic changes. */
    public enum Channel {
        SMS,
        EMAIL
    }

    private final String topic;
    private final Channel channel;
    private final Consent consent;

    ConsentTopic(String topic, Channel channel, Consent consent) {
        this.topic = topic;
        this.channel = channel;
        this.consent = consent;
    }

    public static Optional<ConsentTopic> of(String topic) {
        return Arrays.stream(values()).filter(value -> value.topic.equals(topic)).findFirst();
    }

    public Channel channel() {
        return channel;
    }

    public Consent consent() {
        return consent;
    }
}
