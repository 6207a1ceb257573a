package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import java.util.List;

/** 400: the gateway sent something Klaviyo does not accept. A bug, never retried. */
public class KlaviyoBadRequestException extends KlaviyoException {

    public KlaviyoBadRequestException(String message, List<KlaviyoError> errors) {
        super(message, 400, errors);
    }
}
