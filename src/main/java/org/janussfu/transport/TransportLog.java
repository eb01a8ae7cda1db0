package org.janussfu.transport;

import org.janussfu.core.LogThrottle;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The throttled log lines of the transports, one {@link LogThrottle} per cause a client can repeat at will
 * (a few records per cause per 10 s, then a count of what was suppressed; the exact numbers are in
 * {@link TransportCounters}). Static and thread-safe; used from every transport event loop.
 */
final class TransportLog {
    private static final Logger LOG = Logger.getLogger("org.janussfu.transport");

    static final LogThrottle WS_TOO_BIG = LogThrottle.of(LOG, Level.WARNING);
    static final LogThrottle WS_FLOOD = LogThrottle.of(LOG, Level.WARNING);
    static final LogThrottle WS_PROTOCOL = LogThrottle.of(LOG, Level.WARNING);
    static final LogThrottle WS_SLOW_READER = LogThrottle.of(LOG, Level.WARNING);
    static final LogThrottle WS_PING_TIMEOUT = LogThrottle.of(LOG, Level.INFO);
    static final LogThrottle REFUSED = LogThrottle.of(LOG, Level.WARNING);
    static final LogThrottle EVICTED = LogThrottle.of(LOG, Level.INFO);
    static final LogThrottle SLOW_CONNECTION = LogThrottle.of(LOG, Level.WARNING);
    static final LogThrottle HTTP_ERROR = LogThrottle.of(LOG, Level.WARNING);
    static final LogThrottle CONNECTION_ERROR = LogThrottle.of(LOG, Level.FINE);

    private TransportLog() {
    }
}
