package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.SdpException;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.webrtc.PeerConnection;

/**
 * Builds the {@code info} object of the Admin API's {@code handle_info} in Janus 1.1.2's shape and key order
 * ({@code janus_process_incoming_admin_request}): {@code session_id}, {@code session_last_activity},
 * {@code session_timeout}, {@code handle_id}, {@code opaque_id}, {@code created}, {@code current_time},
 * {@code plugin}, {@code plugin_specific}, {@code flags}, {@code ice-mode}/{@code ice-role}, {@code sdps} (profile,
 * the local and remote SDP texts), {@code pending-trickles}, the capture ({@code dump-to-pcap} + {@code pcap-file}
 * or the text2pcap pair), then {@code webrtc} ({@link WebrtcInfo}). Stateless; {@link #describe} runs on the
 * handle's session context (it reads session-confined state; media counters are volatile reads). Times are
 * monotonic microseconds, as in Janus. What the server does not have is left out rather than invented (docs/admin-api.md).
 */
final class HandleInfo {
    private HandleInfo() {
    }

    static ObjectNode describe(JanusCore core, Handle h, boolean pluginOnly) {
        ObjectNode info = Replies.JSON.objectNode();
        info.put("session_id", h.session.id);
        info.put("session_last_activity", h.session.lastActivityNanos / 1000);
        info.put("session_timeout", core.sessionTimeoutSeconds());
        info.put("handle_id", h.id);
        if (h.opaqueId() != null) {
            info.put("opaque_id", h.opaqueId());
        }
        long nowMicros = System.nanoTime() / 1000;
        info.put("created", nowMicros - Math.max(0, System.currentTimeMillis() * 1000 - h.createdMicros));
        info.put("current_time", nowMicros);
        info.put("plugin", h.plugin.info().packageName());
        info.putNull("plugin_specific"); // keeps Janus' key order; filled or removed by withPluginSpecific
        if (pluginOnly) {
            return info;
        }
        HandleMedia m = h.media;
        PeerConnection pc = m.pc;
        boolean live = pc != null && !pc.isClosed();
        SessionDescription local = parse(h.localSdp);
        SessionDescription remote = parse(h.remoteSdp);
        ObjectNode flags = info.putObject("flags");
        flags.put("got-offer", h.gotOffer);
        flags.put("got-answer", h.gotAnswer);
        flags.put("negotiated", live && pc.hasRemote() && m.localSetup != null);
        flags.put("processing-offer", h.awaitingAnswer);
        flags.put("starting", live && pc.hasRemote() && !m.isUp());
        flags.put("ice-restart", live && pc.iceRestartPending());
        flags.put("ready", m.isUp());
        flags.put("stopped", !live);
        flags.put("alert", pc != null && pc.details().closeReason() != null);
        flags.put("trickle", true);
        flags.put("all-trickles", h.remoteCandidatesComplete);
        flags.put("resend-trickles", false);
        flags.put("trickle-synced", false);
        flags.put("data-channels", live && pc.dataChannelsReady());
        flags.put("has-audio", has(local, MediaKind.AUDIO));
        flags.put("has-video", has(local, MediaKind.VIDEO));
        flags.put("new-datachan-sdp", false);
        flags.put("rfc4588-rtx", m.leg.rtxPayloadType() >= 0);
        flags.put("cleaning", false);
        flags.put("e2ee", false);
        if (live) {
            info.put("ice-mode", "full");
            info.put("ice-role", pc.details().iceControlling() ? "controlling" : "controlled");
        }
        ObjectNode sdps = info.putObject("sdps");
        sdps.put("profile", "UDP/TLS/RTP/SAVPF");
        if (h.localSdp != null) {
            sdps.put("local", h.localSdp);
        }
        if (h.remoteSdp != null) {
            sdps.put("remote", h.remoteSdp);
        }
        if (!h.remoteCandidates.isEmpty()) {
            info.put("pending-trickles", h.remoteCandidates.size());
        }
        Capture c = h.capture;
        if (c != null) {
            info.put(c.text() ? "dump-to-text2pcap" : "dump-to-pcap", true);
            info.put(c.text() ? "text2pcap-file" : "pcap-file", c.file());
            info.putObject("dump-stats").put("packets", c.written()).put("dropped", c.dropped());
        }
        if (live) {
            info.set("webrtc", WebrtcInfo.describe(core, h, pc, local != null ? local : remote));
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

    private static boolean has(SessionDescription sd, MediaKind kind) {
        if (sd != null) {
            for (MediaDescription md : sd.media()) {
                if (md.kind() == kind && !md.isRejected()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The SDP the core wrote or accepted earlier (so it parses); null if absent or somehow not. */
    private static SessionDescription parse(String sdp) {
        if (sdp == null) {
            return null;
        }
        try {
            return SdpParser.parse(sdp);
        } catch (SdpException | RuntimeException e) {
            return null;
        }
    }
}
