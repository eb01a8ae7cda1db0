package org.janussfu.webrtc;

import org.janussfu.webrtc.dtls.DtlsTransport;
import org.janussfu.webrtc.ice.IceConfig;

import java.time.Duration;

/**
 * Settings of the WebRTC media plane (immutable, validated by the configuration loader): ICE, the DTLS handshake
 * timeout, the silence after which a publisher's stream is reported as not receiving ({@code media} event,
 * Janus' {@code no_media_timer}), the bound of a connection's inbound packet queue, and the packets lost per second
 * on a publisher's stream that trigger a {@code slowlink} event (0 = no slowlink events, Janus' default), an
 * optional UDP port range (min 0 = none: every connection shares the one ICE port), and how old (ms) a sent video
 * packet may be to be retransmitted on a NACK (Janus' {@code max_nack_queue}; 0 = none), and how many DTLS
 * handshakes run at once (each holds a thread while it runs; more wait). A zero
 * {@code noMediaTimeout} turns the no-media timer off.
 */
public record WebRtcConfig(IceConfig ice, Duration dtlsHandshakeTimeout, Duration noMediaTimeout, int inboundQueue,
                           int slowlinkThreshold, int icePortMin, int icePortMax, int maxNackQueueMillis,
                           int dtlsHandshakeThreads) {

    /** Threads that run DTLS handshakes at once, the default (more wait their turn, deadline running). */
    public static final int DEFAULT_DTLS_HANDSHAKE_THREADS = 32;

    public WebRtcConfig(IceConfig ice, Duration dtlsHandshakeTimeout, Duration noMediaTimeout, int inboundQueue,
                        int slowlinkThreshold, int icePortMin, int icePortMax, int maxNackQueueMillis) {
        this(ice, dtlsHandshakeTimeout, noMediaTimeout, inboundQueue, slowlinkThreshold, icePortMin, icePortMax,
                maxNackQueueMillis, DEFAULT_DTLS_HANDSHAKE_THREADS);
    }

    /** Janus 1.1.2's NACK queue ceiling, the default here (ms). */
    public static final int DEFAULT_MAX_NACK_QUEUE_MS = 1000;

    public WebRtcConfig(IceConfig ice, Duration dtlsHandshakeTimeout, Duration noMediaTimeout, int inboundQueue,
                        int slowlinkThreshold, int icePortMin, int icePortMax) {
        this(ice, dtlsHandshakeTimeout, noMediaTimeout, inboundQueue, slowlinkThreshold, icePortMin, icePortMax,
                DEFAULT_MAX_NACK_QUEUE_MS);
    }

    public static WebRtcConfig loopback(int icePort) {
        return new WebRtcConfig(IceConfig.loopback(icePort), DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT,
                Duration.ofSeconds(1), 1024, 0, 0, 0);
    }

    /** The same settings with other ICE settings (e.g. a load generator's own bind address). */
    public WebRtcConfig withIce(IceConfig other) {
        return new WebRtcConfig(other, dtlsHandshakeTimeout, noMediaTimeout, inboundQueue, slowlinkThreshold, icePortMin,
                icePortMax, maxNackQueueMillis, dtlsHandshakeThreads);
    }

    /** The same settings with another number of DTLS handshake threads. */
    public WebRtcConfig withDtlsHandshakeThreads(int threads) {
        return new WebRtcConfig(ice, dtlsHandshakeTimeout, noMediaTimeout, inboundQueue, slowlinkThreshold, icePortMin,
                icePortMax, maxNackQueueMillis, threads);
    }

    /** Whether every connection gets its own socket in a port range instead of the shared port. */
    public boolean portRange() {
        return icePortMin > 0;
    }
}
