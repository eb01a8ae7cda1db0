package org.janussfu.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.JanusError;

import java.util.concurrent.atomic.LongAdder;

/**
 * Janus API requests one transport (WebSocket or HTTP) answered, and its error replies by Janus error code
 * ({@code apierror.h}: 403, 458, 490, ...; codes outside {@link JanusError} count as 490 {@code other}). Counted
 * when the synchronous reply is written, from the transports' event loops, lock-free; read by the metrics.
 */
public final class RequestCounters {
    private static final JanusError[] CODES = JanusError.values();

    public final LongAdder requests = new LongAdder();
    private final LongAdder[] errors = new LongAdder[CODES.length];

    public RequestCounters() {
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
    }

    /** Counts one reply to a request: a request, and an error by its code if it is one. */
    public void reply(ObjectNode response) {
        requests.increment();
        JsonNode j = response.get("janus");
        if (j != null && "error".equals(j.asText())) {
            errors[slot(response.path("error").path("code").asInt())].increment();
        }
    }

    /** Error replies with {@code error}'s code. */
    public LongAdder errors(JanusError error) {
        return errors[error.ordinal()];
    }

    private static int slot(int code) {
        for (JanusError e : CODES) {
            if (e.code() == code) {
                return e.ordinal();
            }
        }
        return JanusError.UNKNOWN.ordinal();
    }
}
