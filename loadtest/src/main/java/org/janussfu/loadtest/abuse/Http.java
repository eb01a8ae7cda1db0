package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The Janus HTTP API as the attacks use it: {@code POST /janus[/<session>[/<handle>]]} with a JSON body (or none),
 * over HTTP/1.1 only (java.net.http would otherwise offer an h2c upgrade), 10 s per request. Thread-safe (one
 * shared {@link HttpClient}).
 */
final class Http {
    record Reply(int status, String body) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    Http(int port) {
        this.port = port;
    }

    Reply post(String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/janus" + path))
                .timeout(Duration.ofSeconds(10));
        b.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** POST and return {@code data.id} of a success reply. */
    long postForId(String path, String body) throws IOException {
        Reply r = post(path, body);
        JsonNode n = JanusCalls.JSON.readTree(r.body());
        if (!"success".equals(n.path("janus").asText())) {
            throw new IOException("HTTP " + r.status() + ": " + Report.clip(r.body(), 160));
        }
        return n.path("data").path("id").asLong();
    }
}
