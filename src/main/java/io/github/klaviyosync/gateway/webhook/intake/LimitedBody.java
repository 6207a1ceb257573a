package io.github.klaviyosync.gateway.webhook.intake;

import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Reads a request's body whole, up to a limit. A body with a Content-Length above the limit never gets
 * here (the HTTP layer answers 413 first, {@code quarkus.http.limits.max-body-size}); a chunked one is
 * answered 413 without a body as soon as it passes the limit, and the connection is closed, as the HTTP
 * layer does. A client that asked {@code Expect: 100-continue} is invited to send.
 */
final class LimitedBody implements Handler<Buffer> {

    private final RoutingContext context;
    private final int limit;
    private final Consumer<byte[]> whole;
    private Buffer received;
    private boolean copied;
    private boolean refused;

    private LimitedBody(RoutingContext context, int limit, Consumer<byte[]> whole) {
        this.context = context;
        this.limit = limit;
        this.whole = whole;
    }

    /** Calls {@code whole} with the body once it is read, on the request's context; never for a refused one. */
    static void read(RoutingContext context, int limit, Consumer<byte[]> whole) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            whole.accept(new byte[0]);
            return;
        }
        LimitedBody body = new LimitedBody(context, limit, whole);
        request.handler(body);
        request.endHandler(ignored -> body.ended());
        // A client gone in the middle of its body: nothing to answer, nothing to store, nothing to log.
        request.exceptionHandler(ignored -> body.refused = true);
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaderValues.CONTINUE, true)) {
            context.response().writeContinue();
        }
        request.resume();
    }

    @Override
    public void handle(Buffer chunk) {
        if (refused) {
            return;
        }
        int length = (received == null ? 0 : received.length()) + chunk.length();
        if (length > limit) {
            refused = true;
            received = null;
            context.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaderValues.CLOSE)
                    .end()
                    .onComplete(ignored -> context.request().connection().close());
            return;
        }
        if (received == null) {
            // Most bodies come in one chunk: kept as it is, copied once at the end.
            received = chunk;
        } else if (!copied) {
            received = Buffer.buffer(Math.min(limit, 2 * length)).appendBuffer(received).appendBuffer(chunk);
            copied = true;
        } else {
            received.appendBuffer(chunk);
        }
    }

    private void ended() {
        if (!refused) {
            whole.accept(received == null ? new byte[0] : received.getBytes());
        }
    }
}
