package org.janussfu.webrtc.ice;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The ICE settings of one server process (or of one in-process test client): which local addresses ICE may use,
 * which UDP port the shared socket binds, what the SDP advertises, and the timers. Immutable and validated on
 * construction; built once at startup and shared by {@link IceHarvesters}, {@link IceSafety} and every
 * {@link IceTransport}. Safe to read from any thread.
 *
 * <p><b>Safe default.</b> {@link #defaults()} binds <em>only</em> {@code 127.0.0.1}. A real deployment lists its
 * addresses explicitly ({@code bindAddresses}) and, behind a 1:1 NAT, sets {@code advertisedAddress}. Nothing in
 * this package ever enumerates network interfaces: ICE sends from exactly the configured addresses and nowhere
 * else (project decision 2). The wildcard address is accepted only together with an advertised address and
 * without host candidates, because a wildcard can never be put in a candidate line.
 *
 * @param bindAddresses      the local IP addresses, one shared UDP socket each (RFC 8445 §5.1.1.1 host candidates)
 * @param port               the UDP port of the shared sockets, 0 for an ephemeral port (default 10000)
 * @param advertisedAddress  the public address of a 1:1 NAT to put into candidates instead of the bound address
 *                           (Janus' {@code nat_1_1_mapping}); {@code null} for none
 * @param keepHostCandidates with an advertised address: also advertise the bound address (Janus'
 *                           {@code keep_private_host}); ignored without one
 * @param stunServer         {@code host:port} of a STUN server used to learn a server-reflexive address; {@code null}
 *                           (the default) disables every STUN mapping lookup
 * @param consentFreshness   whether to send RFC 7675 consent checks on the selected pair and fail when they stop
 * @param connectTimeout     how long a started transport may take to connect before {@code onFailed} (default 15 s)
 * @param consentTimeout     how long without a consent response until consent is lost (RFC 7675 §5.1: 30 s)
 * @param maxRemoteAddresses remote addresses one agent may know at once (signalled candidates it checks and
 *                           peer-reflexive sources of authenticated checks); a datagram from one more is dropped
 *                           and stores nothing (default 16)
 * @param udpReaders         threads that read all our UDP sockets for the whole process (shared ports and, in
 *                           port-range and client mode, every connection's own); fixed at the first use (default 1)
 */
public record IceConfig(List<InetAddress> bindAddresses,
                        int port,
                        InetAddress advertisedAddress,
                        boolean keepHostCandidates,
                        String stunServer,
                        boolean consentFreshness,
                        Duration connectTimeout,
                        Duration consentTimeout,
                        int maxRemoteAddresses,
                        int udpReaders) {

    /** The default shared UDP port. */
    public static final int DEFAULT_PORT = 10000;
    /** The default time a transport may take to connect. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** The consent expiry of RFC 7675 §5.1. */
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** The default cap of remote addresses per agent. */
    public static final int DEFAULT_MAX_REMOTE_ADDRESSES = 16;
    /** The default number of UDP reader threads. */
    public static final int DEFAULT_UDP_READERS = 1;

    /** As the canonical constructor with {@link #DEFAULT_MAX_REMOTE_ADDRESSES}. */
    public IceConfig(List<InetAddress> bindAddresses, int port, InetAddress advertisedAddress,
                     boolean keepHostCandidates, String stunServer, boolean consentFreshness, Duration connectTimeout,
                     Duration consentTimeout) {
        this(bindAddresses, port, advertisedAddress, keepHostCandidates, stunServer, consentFreshness, connectTimeout,
                consentTimeout, DEFAULT_MAX_REMOTE_ADDRESSES, DEFAULT_UDP_READERS);
    }

    public IceConfig {
        if (bindAddresses == null || bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("ICE needs at least one bind address");
        }
        bindAddresses = List.copyOf(bindAddresses);
        for (InetAddress a : bindAddresses) {
            if (a.isMulticastAddress()) {
                throw new IllegalArgumentException("multicast address cannot be an ICE bind address: " + a);
            }
            if (a.isAnyLocalAddress() && (advertisedAddress == null || keepHostCandidates)) {
                throw new IllegalArgumentException("wildcard bind address " + a.getHostAddress()
                        + " needs an advertised address and keepHostCandidates=false");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ICE port out of range: " + port);
        }
        if (advertisedAddress != null
                && (advertisedAddress.isAnyLocalAddress() || advertisedAddress.isMulticastAddress())) {
            throw new IllegalArgumentException("not an advertisable address: " + advertisedAddress);
        }
        if (stunServer != null) {
            int colon = stunServer.lastIndexOf(':');
            if (colon <= 0 || !validPort(stunServer.substring(colon + 1))) {
                throw new IllegalArgumentException("STUN server must be host:port, got " + stunServer);
            }
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (consentTimeout == null || consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consentTimeout must be positive");
        }
        if (maxRemoteAddresses < 1 || maxRemoteAddresses > 1024) {
            throw new IllegalArgumentException("maxRemoteAddresses must be 1..1024, got " + maxRemoteAddresses);
        }
        if (udpReaders < 1 || udpReaders > 64) {
            throw new IllegalArgumentException("udpReaders must be 1..64, got " + udpReaders);
        }
    }

    /** Loopback only, port 10000, no NAT mapping, no STUN, consent freshness on, 15 s connect timeout. */
    public static IceConfig defaults() {
        return new IceConfig(List.of(IceCandidates.loopbackV4()), DEFAULT_PORT, null, false, null, true, DEFAULT_CONNECT_TIMEOUT, DEFAULT_CONSENT_TIMEOUT);
    }

    /** {@link #defaults()} on {@code 127.0.0.1} with the given port (0 = ephemeral), as tests use it. */
    public static IceConfig loopback(int port) {
        return defaults().withPort(port);
    }

    public IceConfig withPort(int newPort) {
        return new IceConfig(bindAddresses, newPort, advertisedAddress, keepHostCandidates, stunServer,
                consentFreshness, connectTimeout, consentTimeout, maxRemoteAddresses, udpReaders);
    }

    public IceConfig withAdvertisedAddress(InetAddress address, boolean keepHosts) {
        return new IceConfig(bindAddresses, port, address, keepHosts, stunServer, consentFreshness,
                connectTimeout, consentTimeout, maxRemoteAddresses, udpReaders);
    }

    public IceConfig withConnectTimeout(Duration timeout) {
        return new IceConfig(bindAddresses, port, advertisedAddress, keepHostCandidates, stunServer,
                consentFreshness, timeout, consentTimeout, maxRemoteAddresses, udpReaders);
    }

    public IceConfig withConsentFreshness(boolean enabled, Duration timeout) {
        return new IceConfig(bindAddresses, port, advertisedAddress, keepHostCandidates, stunServer, enabled,
                connectTimeout, timeout, maxRemoteAddresses, udpReaders);
    }

    public IceConfig withMaxRemoteAddresses(int max) {
        return new IceConfig(bindAddresses, port, advertisedAddress, keepHostCandidates, stunServer,
                consentFreshness, connectTimeout, consentTimeout, max, udpReaders);
    }

    /** Whether any bind address is IPv6, i.e. whether IPv6 remote candidates can ever be reached. */
    public boolean bindsIpv6() {
        for (InetAddress a : bindAddresses) {
            if (!(a instanceof Inet4Address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean validPort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        int p = Integer.parseInt(s);
        return p > 0 && p <= 65535;
    }
}
