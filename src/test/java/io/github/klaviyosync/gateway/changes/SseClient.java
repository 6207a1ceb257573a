package io.github.klaviyosync.gateway.changes;

import io.github.klaviyosync.gateway.testsupport.Eventually;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Server-Sent Events consumer as the platform would write one: it reads {@code id:}, {@code data:}
 * and comment lines, dispatches an event at each blank line, and remembers the last id (an id without
 * data too, as EventSource does). One reading thread per stream.
 */
final class SseClient implements AutoCloseable {

    /** One dispatched event. */
    record Event(String id, String data) {
    }

    /** HTTP/1.1, as curl and browsers without TLS speak it: one connection per stream. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int status;
    private final InputStream body;
    private final List<Event> events = new ArrayList<>();
    private int comments;
    private String lastId;
    private boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        if (status == 200) {
            Thread reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Opens a stream; {@code lastEventId} null for none. Returns once the answer's head is in. */
    static SseClient open(URI uri, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return status;
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized int comments() {
        return comments;
    }

    synchronized String lastId() {
        return lastId;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Waits until at least {@code count} events came. */
    List<Event> awaitEvents(int count, Duration within) {
        Eventually.until(within, count + " events on the stream", () -> events().size() >= count);
        return events();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    dispatch(id, data);
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    synchronized (this) {
                        comments++;
                    }
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (IOException closed) {
            // The stream was closed (by us, or by the server): the events so far stay.
        } finally {
            synchronized (this) {
                ended = true;
            }
        }
    }

    private synchronized void dispatch(String id, StringBuilder data) {
        if (id != null) {
            lastId = id;
        }
        if (data != null) {
            events.add(new Event(id, data.toString()));
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException alreadyClosed) {
            // Nothing left to release.
        }
    }
}
