package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.webrtc.PeerConnection;

/**
 * Builds the {@code info} object of the Admin API's {@code handle_info} in Janus 1.1.2's shape and key order
 * ({@code session_id}, {@code session_last_activity}, {@code handle_id}, {@code opaque_id}, {@code current_time},
 * {@code plugin}, {@code plugin_specific}, {@code flags}, {@code sdps}, {@code webrtc}) from what the core keeps about
 * a handle. Stateless; {@link #describe} runs on the handle's session context (it reads session-confined state).
 * Times are monotonic microseconds, as in Janus. What the core does not keep is left out rather than invented:
 * the SDP texts ({@code sdps} carries only what is known), the negotiated SRTP profile and cipher, ICE candidate
 * pairs, NACKs received and PLI/FIR counts (docs/admin-api.md lists them).
 */
final class HandleInfo {
    private HandleInfo() {
    }

    static ObjectNode describe(JanusCore core, Handle h) {
        ObjectNode info = Replies.JSON.objectNode();
        info.put("session_id", h.session.id);
        info.put("session_last_activity", h.session.lastActivityNanos / 1000);
        info.put("handle_id", h.id);
        if (h.opaqueId() != null) {
            info.put("opaque_id", h.opaqueId());
        }
        info.put("current_time", System.nanoTime() / 1000);
        info.put("plugin", h.plugin.info().packageName());
        info.putNull("plugin_specific"); // keeps Janus' key order; filled or removed by withPluginSpecific
        HandleMedia m = h.media;
        PeerConnection pc = m.pc;
        boolean live = pc != null && !pc.isClosed();
        ObjectNode flags = info.putObject("flags");
        flags.put("negotiated", live && pc.hasRemote() && m.localSetup != null);
        flags.put("processing-offer", h.awaitingAnswer);
        flags.put("ready", m.isUp());
        flags.put("stopped", !live);
        flags.put("all-trickles", h.remoteCandidatesComplete);
        flags.put("data-channels", live && pc.dataChannelsReady());
        flags.put("rfc4588-rtx", m.rtxPayloadType >= 0);
        ObjectNode sdps = info.putObject("sdps");
        sdps.put("profile", "UDP/TLS/RTP/SAVPF");
        if (!h.remoteCandidates.isEmpty()) {
            info.put("pending-trickles", h.remoteCandidates.size());
        }
        if (live) {
            info.set("webrtc", webrtc(core, m, pc));
        }
        return info;
    }

    static ObjectNode withPluginSpecific(ObjectNode info, ObjectNode pluginSpecific) {
        if (pluginSpecific != null) {
            info.set("plugin_specific", pluginSpecific);
        } else {
            info.remove("plugin_specific");
        }
        return info;
    }

    private static ObjectNode webrtc(JanusCore core, HandleMedia m, PeerConnection pc) {
        ObjectNode w = Replies.JSON.objectNode();
        ObjectNode ice = w.putObject("ice");
        // Janus' ICE state names (janus_get_ice_state_name); "ready" = ICE and DTLS done, as in Janus.
        ice.put("state", pc.isUp() ? "ready" : pc.hasRemote() ? "connecting" : "gathering");
        ObjectNode dtls = w.putObject("dtls");
        dtls.put("fingerprint", core.media().fingerprint().value());
        if (m.localSetup != null) {
            dtls.put("dtls-role", m.localSetup.token());
        }
        dtls.put("dtls-state", pc.isUp() ? "connected" : pc.hasRemote() ? "trying" : "created");
        dtls.put("valid", pc.isUp());
        dtls.put("ready", pc.isUp());
        dtls.put("sctp-association", pc.dataChannelsReady());
        ObjectNode stats = m.stats();
        ObjectNode media = w.putObject("media");
        for (String kind : new String[]{"audio", "video"}) {
            ObjectNode medium = media.putObject(kind);
            ObjectNode in = (ObjectNode) stats.path(kind + "_in");
            ObjectNode out = (ObjectNode) stats.path(kind + "_out");
            ObjectNode ssrc = medium.putObject("ssrc");
            ssrc.put("ssrc", out.path("ssrc").asLong());
            ssrc.put("remote-ssrc", in.path("ssrc").asLong());
            ObjectNode rtcp = medium.putObject("rtcp_stats");
            rtcp.put("lost", in.path("lost").asLong());
            rtcp.put("jitter-local", in.path("jitter").asLong());
            ObjectNode inStats = medium.putObject("in_stats");
            inStats.put("packets", in.path("received").asLong());
            inStats.put("retransmissions", in.path("rtx_recovered").asLong()); // Janus: RTX received (we NACKed)
            inStats.put("nack_gave_up", in.path("nack_gave_up").asLong());
            ObjectNode outStats = medium.putObject("out_stats");
            outStats.put("packets", out.path("packets").asLong());
            outStats.put("bytes", out.path("octets").asLong());
            outStats.put("retransmissions", out.path("retransmitted").asLong());
            outStats.put("nack_misses", out.path("nack_misses").asLong());
            outStats.put("nacks", in.path("nack_requests").asLong()); // Janus: sequence numbers we NACKed
        }
        media.put("forward_queue_dropped", stats.path("forward_queue_dropped").asLong());
        return w;
    }
}
