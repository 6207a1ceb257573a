package io.github.klaviyosync.gateway.klaviyo.model;

/** One element of Klaviyo's {@code errors[]}. {@code source} is the pointer or parameter it names. */
public record KlaviyoError(String id, String status, String code, String title, String detail, String source) {
}
