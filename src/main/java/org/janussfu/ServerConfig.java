package org.janussfu;

import com.typesafe.config.Config;
import org.janussfu.admin.AdminConfig;
import org.janussfu.admin.EventSinkConfig;
import org.janussfu.cluster.ClusterConfig;
import org.janussfu.core.CoreConfig;
import org.janussfu.core.CoreLimits;
import org.janussfu.sdp.CodecPolicy;
import org.janussfu.sdp.VideoCodec;
import org.janussfu.webrtc.ice.IceCandidates;
import org.janussfu.webrtc.ice.IceConfig;
import org.janussfu.webrtc.WebRtcConfig;
import org.janussfu.sfu.JwtVerifier;
import org.janussfu.sfu.SfuConfig;
import org.janussfu.sfu.SfuLimits;
import org.janussfu.transport.ConnectionLimits;
import org.janussfu.transport.HttpConfig;
import org.janussfu.transport.WebSocketConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Set;
import java.util.logging.Level;

/**
 * The whole validated configuration of one server process, built by {@link ConfigLoader} from the merged
 * layers and handed to {@link Server}. Immutable.
 */
public record ServerConfig(CoreConfig core, LogConfig log, WebSocketConfig ws, HttpConfig http, SfuConfig sfu,
                           CodecPolicy codecs, WebRtcConfig webrtc, AdminConfig admin, EventSinkConfig events,
                           ClusterConfig cluster) {
    private static final int MAX_SECONDS = 7 * 24 * 3600;

    public static ServerConfig from(Config c) throws ConfigException {
        ConfigReader r = new ConfigReader(c);
        CoreConfig core = new CoreConfig(
                r.string("general.server-name"),
                r.integer("general.session-timeout", 0, MAX_SECONDS),
                r.integer("general.reclaim-session-timeout", 0, MAX_SECONDS),
                limits(r),
                r.string("general.api-secret"),
                r.bool("general.token-auth"),
                r.string("general.token-auth-secret"));
        LogConfig log = new LogConfig(
                Level.parse(r.oneOf("log.level", Set.of("SEVERE", "WARNING", "INFO", "FINE", "FINER", "FINEST"))),
                r.oneOf("log.format", Set.of("text", "json")).equals("json"));
        ConnectionLimits limits = new ConnectionLimits(
                r.integer("transport.max-connections", 1, 10_000_000),
                r.integer("transport.max-connections-per-address", 0, 10_000_000),
                r.integer("transport.max-silent-connections", 1, 1_000_000),
                r.integer("transport.silent-timeout", 1, 3600));
        WebSocketConfig ws = new WebSocketConfig(
                r.bool("transport.ws.enabled"),
                r.string("transport.ws.host"),
                r.integer("transport.ws.port", 0, 65535),
                r.integer("transport.ws.max-message-size", 1024, 64 * 1024 * 1024),
                r.integer("transport.ws.ping-interval", 0, 3600),
                r.integer("transport.ws.ping-timeout", 1, 3600),
                r.integer("transport.ws.max-requests-per-second", 0, 10_000_000),
                r.integer("transport.ws.request-burst", 1, 10_000_000),
                r.integer("transport.ws.instances", 0, 256),
                r.integer("transport.ws.max-queued-bytes", 64 * 1024, 1024 * 1024 * 1024),
                r.integer("transport.ws.max-queued-bytes-total", 64 * 1024, Integer.MAX_VALUE),
                r.integer("transport.ws.drain-timeout", 1, 3600),
                r.integer("transport.ws.upgrade-timeout", 1, 3600),
                r.integer("transport.ws.frame-timeout", 1, 3600),
                r.integer("transport.ws.idle-timeout", 0, MAX_SECONDS),
                r.integer("transport.ws.socket-send-buffer", 0, 64 * 1024 * 1024),
                limits);
        String base = r.string("transport.http.base-path");
        if (!base.startsWith("/") || base.length() > 1 && base.endsWith("/")) {
            throw r.bad("transport.http.base-path", "a path starting with '/' and not ending with '/'");
        }
        HttpConfig http = new HttpConfig(
                r.bool("transport.http.enabled"),
                r.string("transport.http.host"),
                r.integer("transport.http.port", 0, 65535),
                base,
                r.integer("transport.http.long-poll-timeout", 1, 3600),
                r.integer("transport.http.max-queued-events", 1, 1_000_000),
                r.integer("transport.http.max-body-size", 1024, 64 * 1024 * 1024),
                r.string("transport.http.allow-origin"),
                r.integer("transport.http.instances", 0, 256),
                r.integer("transport.http.max-queued-bytes", 64 * 1024, 1024 * 1024 * 1024),
                r.integer("transport.http.max-queued-bytes-total", 64 * 1024, Integer.MAX_VALUE),
                r.integer("transport.http.header-timeout", 1, 3600),
                r.integer("transport.http.body-timeout", 1, 3600),
                r.integer("transport.http.idle-timeout", 0, MAX_SECONDS),
                limits);
        if (http.idleTimeoutSeconds() != 0 && http.idleTimeoutSeconds() <= http.longPollTimeoutSeconds()) {
            throw r.bad("transport.http.idle-timeout", "0 or more seconds than transport.http.long-poll-timeout ("
                    + http.longPollTimeoutSeconds() + ")");
        }
        return new ServerConfig(core, log, ws, http, sfu(r), codecs(c, r), webrtc(c, r), admin(r, ws, http), events(r),
                cluster(c, r));
    }

    /** The event sink: off by default; when on, an http(s) URL with a host is required. */
    private static EventSinkConfig events(ConfigReader r) throws ConfigException {
        EventSinkConfig e = new EventSinkConfig(
                r.bool("events.enabled"),
                r.string("events.url"),
                r.integer("events.max-queue", 1, 10_000_000),
                r.integer("events.batch-size", 1, 100_000),
                r.integer("events.flush-interval", 10, 3_600_000),
                r.integer("events.request-timeout", 100, 600_000));
        if (e.enabled()) {
            try {
                java.net.URI u = new java.net.URI(e.url());
                if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                    throw new java.net.URISyntaxException(e.url(), "not http(s) with a host");
                }
            } catch (java.net.URISyntaxException x) {
                throw r.bad("events.url", "an http:// or https:// URL with a host when events.enabled = true");
            }
        }
        return e;
    }

    /**
     * The Admin API listeners. Bound beyond loopback they need {@code admin.secret}: an open control port on a network
     * would let anyone list, kick and destroy sessions or mint tokens.
     */
    private static AdminConfig admin(ConfigReader r, WebSocketConfig ws, HttpConfig http) throws ConfigException {
        AdminConfig a = new AdminConfig(
                r.bool("admin.enabled"),
                r.string("admin.host"),
                r.integer("admin.http-port", 0, 65535),
                r.integer("admin.ws-port", 0, 65535),
                r.string("admin.secret"),
                r.integer("admin.max-message-size", 1024, 64 * 1024 * 1024),
                r.integer("admin.max-connections", 1, 100_000),
                r.integer("admin.max-tokens", 1, 10_000_000),
                r.integer("admin.max-token-bytes", 16, 1 << 20),
                r.bool("admin.metrics-require-secret"),
                r.integer("admin.dashboard-max-handles", 1, 100_000),
                r.string("admin.pcap-dir"),
                r.integer("admin.pcap-max-bytes", 4096, Integer.MAX_VALUE),
                r.integer("admin.pcap-buffer-bytes", 65536, 256 << 20));
        if (a.enabled() && a.secret().isEmpty() && !AdminConfig.isLoopback(a.host())) {
            throw r.bad("admin.secret", "a non-empty secret when admin.host (" + a.host() + ") is not a loopback address");
        }
        if (a.enabled() && a.httpPort() != 0 && a.httpPort() == a.wsPort()) {
            throw r.bad("admin.ws-port", "a port other than admin.http-port");
        }
        if (a.enabled()) {
            for (int p : new int[]{a.httpPort(), a.wsPort()}) {
                if (p != 0 && ((ws.enabled() && p == ws.port()) || (http.enabled() && p == http.port()))) {
                    throw r.bad(p == a.httpPort() ? "admin.http-port" : "admin.ws-port",
                            "a port other than the Janus API's (transport.ws.port, transport.http.port)");
                }
            }
        }
        return a;
    }

    /** The core's budgets (docs/security.md); every one at least 1, percentages 10..100. */
    private static CoreLimits limits(ConfigReader r) throws ConfigException {
        return new CoreLimits(
                r.integer("limits.sessions", 1, 10_000_000),
                r.integer("limits.sessions-per-connection", 1, 100_000),
                r.integer("limits.handles", 1, 100_000_000),
                r.integer("limits.handles-per-session", 1, 1_000_000),
                r.integer("limits.transaction-bytes", 16, 1 << 20),
                r.integer("limits.opaque-id-bytes", 16, 1 << 20),
                r.integer("limits.plugin-name-bytes", 16, 4096),
                r.integer("limits.candidate-bytes", 128, 1 << 16),
                r.integer("limits.candidates-per-handle", 1, 1_000_000),
                r.integer("limits.peer-connections", 1, 10_000_000),
                r.integer("limits.overload.heap-after-gc-percent", 10, 100),
                r.integer("limits.overload.fd-percent", 10, 100));
    }

    private static CodecPolicy codecs(Config c, ConfigReader r) throws ConfigException {
        List<VideoCodec> order = new ArrayList<>();
        try {
            for (String name : c.getStringList("plugin.sfu.video_codecs")) {
                VideoCodec v = switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "h264" -> VideoCodec.H264;
                    case "vp8" -> VideoCodec.VP8;
                    case "vp9" -> VideoCodec.VP9;
                    case "av1" -> VideoCodec.AV1;
                    default -> throw r.bad("plugin.sfu.video_codecs", "a list of h264, vp8, vp9, av1");
                };
                if (!order.contains(v)) {
                    order.add(v);
                }
            }
        } catch (com.typesafe.config.ConfigException e) {
            throw r.bad("plugin.sfu.video_codecs", "a list of h264, vp8, vp9, av1");
        }
        if (order.isEmpty()) {
            throw r.bad("plugin.sfu.video_codecs", "at least one of h264, vp8, vp9, av1");
        }
        return CodecPolicy.DEFAULT.withVideoPreference(order.toArray(new VideoCodec[0]));
    }

    /** The media plane: ICE addresses (literal IPs only, never resolved), timeouts, queue bound. */
    private static WebRtcConfig webrtc(Config c, ConfigReader r) throws ConfigException {
        List<InetAddress> bind = new ArrayList<>();
        List<String> listed;
        try {
            listed = c.getStringList("webrtc.ice.bind-addresses");
        } catch (com.typesafe.config.ConfigException e) {
            throw r.bad("webrtc.ice.bind-addresses", "a list of IP addresses");
        }
        for (String a : listed) {
            InetAddress ip = IceCandidates.parseLiteral(a.trim());
            if (ip == null) {
                throw r.bad("webrtc.ice.bind-addresses", "a list of literal IP addresses");
            }
            bind.add(ip);
        }
        if (bind.isEmpty()) {
            bind.addAll(LocalAddresses.defaultIceAddresses());
        }
        String advertised = r.string("webrtc.ice.advertised-address");
        InetAddress adv = null;
        if (!advertised.isBlank()) {
            adv = IceCandidates.parseLiteral(advertised.trim());
            if (adv == null) {
                throw r.bad("webrtc.ice.advertised-address", "a literal IP address or \"\"");
            }
        }
        String stun = r.string("webrtc.ice.stun-server");
        String range = r.string("webrtc.ice.port-range").trim();
        int portMin = 0;
        int portMax = 0;
        if (!range.isEmpty()) {
            String[] mm = range.split("-");
            try {
                portMin = Integer.parseInt(mm[0].trim());
                portMax = Integer.parseInt(mm[1].trim());
            } catch (RuntimeException e) {
                portMin = -1;
            }
            if (mm.length != 2 || portMin < 1 || portMax > 65535 || portMax < portMin) {
                throw r.bad("webrtc.ice.port-range", "\"min-max\" with 1 <= min <= max <= 65535, or \"\"");
            }
        }
        try {
            IceConfig ice = new IceConfig(bind, r.integer("webrtc.ice.port", 0, 65535), adv,
                    r.bool("webrtc.ice.keep-host-candidates"), stun.isBlank() ? null : stun,
                    r.bool("webrtc.ice.consent-freshness"),
                    Duration.ofSeconds(r.integer("webrtc.ice.connect-timeout", 1, 600)),
                    Duration.ofSeconds(r.integer("webrtc.ice.consent-timeout", 20, 600)),
                    r.integer("webrtc.ice.max-remote-addresses", 1, 1024),
                    r.integer("webrtc.ice.udp-readers", 1, 64));
            return new WebRtcConfig(ice, Duration.ofSeconds(r.integer("webrtc.dtls-handshake-timeout", 1, 120)),
                    Duration.ofMillis(noMediaTimeout(r)),
                    r.integer("webrtc.inbound-queue", 16, 1 << 20),
                    r.integer("webrtc.slowlink-threshold", 0, 1_000_000), portMin, portMax, maxNackQueue(r),
                    r.integer("webrtc.dtls-handshake-threads", 1, 1024));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("webrtc.ice: " + e.getMessage());
        }
    }

    /** {@code webrtc.no-media-timeout}: 0 (off) or 100 ms .. 10 min. */
    private static int noMediaTimeout(ConfigReader r) throws ConfigException {
        int ms = r.integer("webrtc.no-media-timeout", 0, 600_000);
        if (ms != 0 && ms < 100) {
            throw r.bad("webrtc.no-media-timeout", "0 (off) or 100..600000 ms");
        }
        return ms;
    }

    /** {@code webrtc.max-nack-queue}: 0 (no retransmissions) or 200..1000 ms, as Janus' NACK queue. */
    private static int maxNackQueue(ConfigReader r) throws ConfigException {
        int ms = r.integer("webrtc.max-nack-queue", 0, org.janussfu.core.MediaSettings.MAX_NACK_QUEUE_MS);
        if (ms != 0 && ms < org.janussfu.core.MediaSettings.MIN_NACK_QUEUE_MS) {
            throw r.bad("webrtc.max-nack-queue", "0 (off) or 200..1000 ms");
        }
        return ms;
    }

    /** The room plugin's settings; the auth key is read and parsed here so that a bad one stops the start. */
    private static SfuConfig sfu(ConfigReader r) throws ConfigException {
        String keyPath = r.string("plugin.sfu.auth_key");
        JwtVerifier auth = null;
        if (!keyPath.isBlank()) {
            try {
                auth = JwtVerifier.fromFile(Path.of(keyPath));
            } catch (IOException | IllegalArgumentException e) {
                throw r.bad("plugin.sfu.auth_key", "a readable RSA public key (PKCS#1 or SubjectPublicKeyInfo, DER or PEM) ["
                        + e.getMessage() + "]");
            }
        }
        SfuLimits limits = new SfuLimits(
                r.integer("plugin.sfu.max_id_bytes", 16, 1 << 20),
                r.integer("plugin.sfu.max_data_bytes", 16, 64 << 20),
                r.integer("plugin.sfu.max_token_bytes", 256, 1 << 20),
                r.integer("plugin.sfu.max_rooms", 1, 100_000_000),
                r.integer("plugin.sfu.max_rooms_per_user", 1, 1_000_000),
                r.integer("plugin.sfu.max_blocks_per_user", 1, 1_000_000),
                r.integer("plugin.sfu.max_block_bytes", 1024, Integer.MAX_VALUE));
        return new SfuConfig(auth, r.integer("plugin.sfu.max_room_size", 0, 1_000_000),
                r.integer("plugin.sfu.max_ccu", 0, 100_000_000), limits);
    }

    /**
     * The cluster section: literal addresses only (a name would need a DNS lookup, which a member never makes),
     * {@code host:port} members, distinct Hazelcast and event-bus ports.
     */
    private static ClusterConfig cluster(Config c, ConfigReader r) throws ConfigException {
        String host = r.string("cluster.host").trim();
        if (IceCandidates.parseLiteral(host) == null || IceCandidates.parseLiteral(host).isAnyLocalAddress()) {
            throw r.bad("cluster.host", "a literal IP address of this machine (not 0.0.0.0)");
        }
        int port = r.integer("cluster.port", 1, 65535);
        int busPort = r.integer("cluster.bus-port", 0, 65535);
        if (busPort == port) {
            throw r.bad("cluster.bus-port", "0 or a port other than cluster.port");
        }
        String name = r.string("cluster.name");
        if (name.isBlank() || name.length() > 64) {
            throw r.bad("cluster.name", "a non-empty name of at most 64 characters");
        }
        List<String> members = new ArrayList<>();
        List<String> listed;
        try {
            listed = c.getStringList("cluster.members");
        } catch (com.typesafe.config.ConfigException e) {
            throw r.bad("cluster.members", "a list of \"ip:port\" strings");
        }
        for (String m : listed) {
            String t = m.trim();
            int colon = t.lastIndexOf(':');
            int p = -1;
            try {
                p = colon < 0 ? -1 : Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                p = -1;
            }
            String ip = colon < 0 ? t : t.substring(0, colon);
            if (ip.startsWith("[") && ip.endsWith("]")) {
                ip = ip.substring(1, ip.length() - 1);
            }
            if (p < 1 || p > 65535 || IceCandidates.parseLiteral(ip) == null) {
                throw r.bad("cluster.members", "a list of \"ip:port\" strings with literal IP addresses");
            }
            members.add(t);
        }
        boolean enabled = r.bool("cluster.enabled");
        if (enabled && members.isEmpty()) {
            throw r.bad("cluster.members", "at least one member (this node's own host:port is fine) when cluster.enabled = true");
        }
        String relay = r.string("cluster.media-relay").trim();
        if (!relay.equals("udp") && !relay.equals("bus")) {
            throw r.bad("cluster.media-relay", "\"udp\" (node-to-node relay) or \"bus\" (clustered event bus)");
        }
        int mediaPort = r.integer("cluster.media-port", 0, 65535);
        if (mediaPort != 0 && (mediaPort == port || mediaPort == busPort)) {
            throw r.bad("cluster.media-port", "0 or a port other than cluster.port and cluster.bus-port");
        }
        return new ClusterConfig(enabled, name, host, port, busPort, members, r.integer("cluster.drain-timeout", 0, 24 * 3600),
                relay.equals("udp"), mediaPort);
    }
}
