package org.janussfu.webrtc.ice;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Reads and writes ICE candidate lines as SDP and trickle carry them (RFC 8839 §5.1):
 * {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr <a> rport <p>]
 * *(<extension name> <value>)}. Stateless; used on the signalling path of whichever thread owns an
 * {@link IceTransport}.
 *
 * <p>The reader is tolerant in the way real clients need (see docs/sfu-protocol.md §7.3): it accepts the line with or
 * without the {@code a=} and {@code candidate:} prefixes (Firefox trickles either), and it classifies instead of
 * throwing. It never resolves a name: mDNS ({@code .local}, RFC 8839 §5.1 / draft-ietf-mmusic-mdns-ice-candidates)
 * and other host names are reported as unusable rather than looked up, so that parsing a candidate can never make
 * the server send a DNS query (project decision 2).
 */
public final class IceCandidates {

    /** What became of one remote candidate line. */
    public enum Verdict {
        /** A usable UDP candidate for component 1. */
        ACCEPTED,
        /** Empty string: some browsers trickle it as the last candidate. */
        EMPTY,
        /** {@code end-of-candidates} (RFC 8838 §4.1 / RFC 8840 §4.1) given as a candidate line. */
        END_OF_CANDIDATES,
        /** A TCP candidate (RFC 6544); this server only does UDP. */
        TCP,
        /** An mDNS {@code .local} host name, which the server cannot resolve. */
        MDNS,
        /** Any other host name instead of an IP literal; never resolved. */
        HOSTNAME,
        /** An IPv6 candidate while no IPv6 address is bound. */
        IPV6_NOT_BOUND,
        /** Component 2 (RTCP) although the transport always uses rtcp-mux. */
        OTHER_COMPONENT,
        /** A candidate carrying a {@code ufrag} extension of another ICE generation (after a restart). */
        STALE_UFRAG,
        /** The same address and port was already added. */
        DUPLICATE,
        /** The agent already holds {@link IceConfig#maxRemoteAddresses()} remote candidates; nothing is stored. */
        TOO_MANY,
        /** Anything that does not parse, or an address no packet may be sent to (wildcard, multicast). */
        MALFORMED
    }

    /**
     * One parsed remote candidate.
     *
     * @param ufrag the {@code ufrag} extension attribute, or {@code null} when the line has none
     */
    public record Remote(String foundation, long priority, InetAddress address, int port, String type,
                         String ufrag) {
    }

    /** The outcome of {@link #parse}: a verdict, and the candidate when the verdict is {@link Verdict#ACCEPTED}. */
    public record Parsed(Verdict verdict, Remote candidate) {
        static Parsed of(Verdict v) {
            return new Parsed(v, null);
        }
    }

    private IceCandidates() {
    }

    /**
     * Parses one candidate line.
     *
     * @param line        the candidate attribute value, with or without {@code a=} / {@code candidate:}
     * @param ipv6Allowed whether IPv6 candidates can be used (an IPv6 address is bound)
     */
    public static Parsed parse(String line, boolean ipv6Allowed) {
        if (line == null) {
            return Parsed.of(Verdict.EMPTY);
        }
        String s = line.strip();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (s.isEmpty()) {
            return Parsed.of(Verdict.EMPTY);
        }
        if (s.equals("end-of-candidates")) {
            return Parsed.of(Verdict.END_OF_CANDIDATES);
        }
        if (s.regionMatches(true, 0, "candidate:", 0, 10)) {
            s = s.substring(10);
        }
        String[] t = s.split("\\s+");
        // foundation component transport priority address port "typ" type
        if (t.length < 8 || !t[6].equalsIgnoreCase("typ") || t[0].isEmpty() || t[0].length() > 32) {
            return Parsed.of(Verdict.MALFORMED);
        }
        long component = number(t[1], 256);
        long priority = number(t[3], 0xFFFFFFFFL);
        long port = number(t[5], 65535);
        if (component < 1 || priority < 1 || port < 0) {
            return Parsed.of(Verdict.MALFORMED);
        }
        String transport = t[2].toLowerCase(Locale.ROOT);
        if (transport.equals("tcp")) {
            return Parsed.of(Verdict.TCP);
        }
        if (!transport.equals("udp")) {
            return Parsed.of(Verdict.MALFORMED);
        }
        String type = t[7].toLowerCase(Locale.ROOT);
        if (!type.equals("host") && !type.equals("srflx") && !type.equals("prflx") && !type.equals("relay")) {
            return Parsed.of(Verdict.MALFORMED);
        }
        String ufrag = null;
        for (int i = 8; i + 1 < t.length; i += 2) {
            if (t[i].equals("ufrag")) {
                ufrag = t[i + 1];
            }
        }
        String host = t[4];
        InetAddress address = parseLiteral(host);
        if (address == null) {
            if (host.toLowerCase(Locale.ROOT).endsWith(".local")) {
                return Parsed.of(Verdict.MDNS);
            }
            return Parsed.of(host.indexOf(':') >= 0 ? Verdict.MALFORMED : Verdict.HOSTNAME);
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress() || port == 0) {
            return Parsed.of(Verdict.MALFORMED);
        }
        if (address instanceof Inet6Address && !ipv6Allowed) {
            return Parsed.of(Verdict.IPV6_NOT_BOUND);
        }
        if (component != 1) {
            return Parsed.of(Verdict.OTHER_COMPONENT);
        }
        return new Parsed(Verdict.ACCEPTED, new Remote(t[0], priority, address, (int) port, type, ufrag));
    }

    /**
     * Writes a candidate attribute value (without {@code a=}), e.g.
     * {@code candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host} (RFC 8839 §5.1).
     */
    public static String format(String foundation, long priority, InetAddress address, int port, String type,
                                InetAddress relatedAddress, int relatedPort) {
        StringBuilder b = new StringBuilder(80).append("candidate:").append(foundation).append(" 1 udp ")
                .append(priority).append(' ').append(address.getHostAddress()).append(' ').append(port)
                .append(" typ ").append(type);
        if (relatedAddress != null) {
            b.append(" raddr ").append(relatedAddress.getHostAddress()).append(" rport ").append(relatedPort);
        }
        return b.toString();
    }

    /**
     * RFC 8445 §5.1.2.1 priority for component 1: {@code 2^24 * typePref + 2^8 * localPref + (256 - 1)}.
     */
    public static long priority(int typePreference, int localPreference) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + 255;
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal (optionally in brackets, no zone id) without ever touching DNS;
     * returns {@code null} for anything else.
     */
    public static InetAddress parseLiteral(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') < 0) {
            return parseV4(s);
        }
        // Only hex digits, ':' and '.' (embedded IPv4) and a leading hex digit or ':' reach InetAddress: Java then
        // treats the text as an IPv6 literal and fails instead of falling back to a name lookup.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null;
            }
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            return a instanceof Inet6Address || a instanceof Inet4Address ? a : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code 127.0.0.1}, built without any lookup. */
    public static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (part != 4) {
            return null;
        }
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A non-negative decimal not above {@code max}, or -1. */
    private static long number(String s, long max) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }
}
