package org.janussfu;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * The default ICE bind addresses when none are configured: every up, non-loopback, non-link-local IPv4 address of
 * this machine, then 127.0.0.1 (so that local browsers and tools work too). Read once at start; no DNS lookups.
 */
final class LocalAddresses {
    private LocalAddresses() {
    }

    static List<InetAddress> defaultIceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            Enumeration<NetworkInterface> ifs = NetworkInterface.getNetworkInterfaces();
            while (ifs != null && ifs.hasMoreElements()) {
                NetworkInterface nif = ifs.nextElement();
                if (!nif.isUp() || nif.isLoopback() || nif.isPointToPoint()) {
                    continue;
                }
                for (Enumeration<InetAddress> as = nif.getInetAddresses(); as.hasMoreElements(); ) {
                    InetAddress a = as.nextElement();
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress() && !a.isLoopbackAddress()) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            // fall back to loopback only
        }
        out.add(InetAddress.getLoopbackAddress());
        return out;
    }
}
