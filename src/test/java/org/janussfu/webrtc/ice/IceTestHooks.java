package org.janussfu.webrtc.ice;

import java.io.IOException;
import java.net.InetAddress;

/**
 * The package-private ICE members that the tests of the composition in {@code org.janussfu.webrtc} (the media loop,
 * the offerer's ICE role) reach, so that they need not be public in main. Stateless; the caller's thread.
 */
public final class IceTestHooks {
    private IceTestHooks() {
    }

    /** A shared endpoint on {@code address} (an ephemeral port), read by the next reader thread. */
    public static UdpEndpoint sharedEndpoint(InetAddress address) throws IOException {
        return UdpEndpoint.shared(address, 0, false, UdpReader.next());
    }

    /** Datagrams {@code e} dropped because their address never passed an authenticated check. */
    public static long unvalidatedDropped(UdpEndpoint e) {
        return e.unvalidatedDropped.sum();
    }

    /** Sets {@code t}'s current agent's tie-breaker (RFC 8445 §7.1.3), to force either side of a role conflict. */
    public static void setTieBreaker(IceTransport t, long tieBreaker) {
        t.setTieBreaker(tieBreaker);
    }

    /** Remote addresses {@code t}'s current agent holds (one per authenticated peer address so far). */
    public static int remoteAddresses(IceTransport t) {
        return t.remoteAddresses();
    }
}
