package io.github.klaviyosync.gateway.klaviyo;

import io.github.klaviyosync.gateway.klaviyo.model.KlaviyoError;
import java.util.List;

/** 404: the list or profile does not exist (for a list: it was deleted). */
public class KlaviyoNotFoundException extends KlaviyoException {

    public KlaviyoNotFoundException(String message, List<KlaviyoError> errors) {
        super(message, 404, errors);
    }
}
