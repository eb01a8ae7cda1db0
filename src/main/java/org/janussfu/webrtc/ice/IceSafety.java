package org.janussfu.webrtc.ice;

import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvester;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.ice4j.ice.harvest.StunMappingCandidateHarvester;
import org.jitsi.config.JitsiConfig;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Puts ice4j into the only mode this server allows (project decision 2): ICE never sends anything from or to
 * addresses the operator did not configure. Process-wide and idempotent; {@link IceHarvesters} and the client mode of
 * {@link IceTransport} call it themselves, and {@code Main} should call it first thing, before anything (including
 * jitsi-srtp) touches a jitsi/ice4j class, because ice4j reads most settings once when its classes initialise.
 * Runs on the caller's thread; synchronised because it writes JVM-wide state.
 *
 * <p>What it does, in order:
 * <ol>
 *   <li>System properties ice4j reads through jitsi-metaconfig (both the {@code ice4j.*} keys and the legacy
 *       {@code org.ice4j.*} keys, because a legacy key wins when both are present):
 *       the AWS metadata harvester off (it would HTTP the EC2 link-local metadata address — the reason for the
 *       decision); STUN mapping lookups off unless {@link IceConfig#stunServer()} is set, and then limited to the
 *       bind addresses; no static NAT mappings (the advertised address is written into SDP by {@link IceTransport}
 *       instead); no dynamic-port {@code HostCandidateHarvester} (it binds every interface); no wildcard binding.
 *       UPnP needs no switch: ice4j 3.2 only uses its {@code UPNPHarvester} when one is added explicitly, and the
 *       weupnp jar is excluded from the build. No TURN harvester is ever added.</li>
 *   <li>Reloads jitsi's typesafe configuration, so the properties count even if something read it earlier.</li>
 *   <li>ice4j's receive buffers come from our pool ({@link IceBuffers#install()}); the push-API settings
 *       ({@code AbstractUdpListener.USE_PUSH_API}, {@link #TAILROOM}) are still set, although since decision 0010
 *       no ice4j harvester reads a socket: our {@link UdpEndpoint}s lend {@link IceBuffers} with the same
 *       tailroom.</li>
 *   <li>ice4j's send-socket pool property is kept at least {@link #MIN_SOCKET_POOL} (it mattered for decision
 *       0008's shared port while ice4j bound it; since decision 0010 ice4j binds no socket at all).</li>
 *   <li>ice4j's static thread pools end idle threads after a second instead of a minute ({@link IcePools}).</li>
 *   <li>Verifies ice4j's effective configuration and its mapping harvesters (initialising them now, so a configured
 *       STUN lookup happens at startup, not at the first call) and throws {@link IllegalStateException} if ice4j
 *       would still reach another address — e.g. because its mapping harvesters were initialised before this ran.</li>
 * </ol>
 */
public final class IceSafety {
    /** Spare bytes ice4j leaves after every pushed packet: SRTP tag room (≥ 16 for GCM, 20 like JVB). */
    public static final int TAILROOM = 20;

    /** The properties set when no STUN server is configured; exposed for the test. */
    static final Map<String, String> FIXED = Map.of(
            "ice4j.harvest.mapping.aws.enabled", "false",
            "org.ice4j.ice.harvest.DISABLE_AWS_HARVESTER", "true",
            "ice4j.harvest.mapping.aws.force", "false",
            "ice4j.harvest.udp.use-dynamic-ports", "false",
            "org.ice4j.ice.harvest.USE_DYNAMIC_HOST_HARVESTER", "false",
            "org.ice4j.BIND_WILDCARD", "false");

    /** Legacy keys that must not be present: forced AWS, static NAT harvester. */
    static final List<String> CLEARED = List.of(
            "org.ice4j.ice.harvest.FORCE_AWS_HARVESTER",
            "org.ice4j.ice.harvest.NAT_HARVESTER_LOCAL_ADDRESS",
            "org.ice4j.ice.harvest.NAT_HARVESTER_PUBLIC_ADDRESS");

    /** Smallest ice4j send-socket pool that still binds with {@code SO_REUSEADDR} (ice4j's {@code SocketPool}). */
    static final int MIN_SOCKET_POOL = 2;
    static final String SOCKET_POOL_KEY = "ice4j.harvest.udp.socket-pool-size";

    static final String STUN_KEY = "org.ice4j.ice.harvest.STUN_MAPPING_HARVESTER_ADDRESSES";
    static final String ALLOWED_KEY = "org.ice4j.ice.harvest.ALLOWED_ADDRESSES";

    private static boolean applied;
    private static String appliedStun;
    private static String appliedAllowed;

    private IceSafety() {
    }

    /**
     * Applies the safe settings for {@code config}. Calling it again with the same STUN setting (and, with STUN,
     * the same bind addresses) does nothing; a different one throws, because ice4j cannot change them after
     * its mapping harvesters have been initialised.
     */
    public static synchronized void apply(IceConfig config) {
        String stun = config.stunServer();
        String allowed = stun == null ? null : joinAddresses(config.bindAddresses());
        if (applied) {
            if (!Objects.equals(stun, appliedStun) || !Objects.equals(allowed, appliedAllowed)) {
                throw new IllegalStateException("ice4j safety was applied with STUN=" + appliedStun
                        + " on " + appliedAllowed + "; cannot switch to STUN=" + stun + " on " + allowed);
            }
            return;
        }
        FIXED.forEach(System::setProperty);
        CLEARED.forEach(System::clearProperty);
        if (stun == null) {
            System.clearProperty(STUN_KEY);
            System.clearProperty(ALLOWED_KEY);
        } else {
            System.setProperty(STUN_KEY, stun);
            System.setProperty(ALLOWED_KEY, allowed);
        }
        raiseSocketPool();
        JitsiConfig.Companion.reloadNewConfig();

        AbstractUdpListener.USE_PUSH_API = true;
        AbstractUdpListener.BYTES_TO_LEAVE_AT_START_OF_PACKET = 0;
        AbstractUdpListener.BYTES_TO_LEAVE_AT_END_OF_PACKET = TAILROOM;
        IceBuffers.install();
        IcePools.tune();

        verify(stun);
        applied = true;
        appliedStun = stun;
        appliedAllowed = allowed;
    }

    /** Whether {@link #apply} has run in this JVM. */
    public static synchronized boolean isApplied() {
        return applied;
    }

    private static void verify(String stun) {
        HarvestConfig hc = HarvestConfig.config;
        if (hc.enableAwsHarvester()) {
            throw new IllegalStateException("ice4j AWS harvester still enabled");
        }
        if (hc.useDynamicPorts()) {
            throw new IllegalStateException("ice4j dynamic-port host harvester still enabled");
        }
        if (!hc.getStaticMappings().isEmpty()) {
            throw new IllegalStateException("ice4j static mappings configured elsewhere: " + hc.getStaticMappings());
        }
        List<String> stunList = hc.stunMappingCandidateHarvesterAddresses();
        if (stun == null ? !stunList.isEmpty() : !stunList.equals(List.of(stun))) {
            throw new IllegalStateException("ice4j STUN mapping addresses are " + stunList + ", expected "
                    + (stun == null ? "none" : stun));
        }
        for (MappingCandidateHarvester h : MappingCandidateHarvesters.getHarvesters()) {
            if (stun == null || !(h instanceof StunMappingCandidateHarvester)) {
                throw new IllegalStateException("ice4j mapping harvester present that was not configured: " + h
                        + " (were ice4j's harvesters initialised before IceSafety.apply?)");
            }
        }
    }

    /**
     * Sets ice4j's socket-pool property to {@link #MIN_SOCKET_POOL} when the size it would use is smaller (one CPU, or
     * an explicit 1). Must run before ice4j's {@code HarvestConfig} is first read: it keeps the values it saw then.
     */
    private static void raiseSocketPool() {
        String v = System.getProperty(SOCKET_POOL_KEY);
        int n;
        try {
            n = v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if ((n <= 0 ? Runtime.getRuntime().availableProcessors() : n) < MIN_SOCKET_POOL) {
            System.setProperty(SOCKET_POOL_KEY, Integer.toString(MIN_SOCKET_POOL));
        }
    }

    /** ice4j's send-socket pool size on the shared port as its {@code SocketPool} computes it (0 = one per CPU). */
    static int effectiveSocketPool() {
        int n = HarvestConfig.config.udpSocketPoolSize();
        return n == 0 ? Runtime.getRuntime().availableProcessors() : n;
    }

    private static String joinAddresses(List<InetAddress> addresses) {
        StringJoiner j = new StringJoiner(";");
        for (InetAddress a : addresses) {
            j.add(a.getHostAddress());
        }
        return j.toString();
    }
}
