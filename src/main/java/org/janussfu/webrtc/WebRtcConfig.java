package org.janussfu.webrtc;

import java.time.Duration;

/**
 * Settings of the WebRTC media plane (immutable, validated by the configuration loader): ICE, the DTLS handshake
 * timeout, the silence after which a publisher's stream is reported as not receiving ({@code media} event,
 * Janus' {@code no_media_timer}), the bound of a connection's inbound packet queue, and the packets lost per second
 * on a publisher's stream that trigger a {@code slowlink} event (0 = no slowlink events, Janus' default), and an
 * optional UDP port range (min 0 = none: every connection shares the one ICE port).
 */
public record WebRtcConfig(IceConfig ice, Duration dtlsHandshakeTimeout, Duration noMediaTimeout, int inboundQueue,
                           int slowlinkThreshold, int icePortMin, int icePortMax) {

    public static WebRtcConfig loopback(int icePort) {
        return new WebRtcConfig(IceConfig.loopback(icePort), DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT,
                Duration.ofSeconds(1), 1024, 0, 0, 0);
    }

    /** The same settings with other ICE settings (e.g. a load generator's own bind address). */
    public WebRtcConfig withIce(IceConfig other) {
        return new WebRtcConfig(other, dtlsHandshakeTimeout, noMediaTimeout, inboundQueue, slowlinkThreshold, icePortMin,
                icePortMax);
    }

    /** Whether every connection gets its own socket in a port range instead of the shared port. */
    public boolean portRange() {
        return icePortMin > 0;
    }
}
