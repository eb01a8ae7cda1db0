package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.sdp.Direction;
import org.janussfu.sdp.Extmap;
import org.janussfu.sdp.Fingerprint;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.RtcpFeedback;
import org.janussfu.sdp.RtpMap;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.webrtc.ConnectionDetails;
import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.PeerConnection;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.util.Locale;

/**
 * The {@code webrtc} block of {@code handle_info} in Janus 1.1.2's shape ({@code janus_admin_peerconnection_summary}
 * and {@code janus_admin_peerconnection_medium_summary}): {@code ice} (state, candidates, selected pair, times),
 * {@code dtls} (fingerprints, role, state, SRTP profile, times, SCTP), {@code extensions}, {@code bwe}, and
 * {@code media} keyed by mid — type, mindex, NACK settings, SSRCs, direction, codecs, {@code rtcp.main} (RTT, loss
 * and jitter both ways) and {@code stats.in}/{@code stats.out} (packets, bytes, NACKs, PLIs, FIRs,
 * retransmissions). Ours on top: {@code dtls.cipher-suite} and {@code drops}. Stateless; runs on the session context.
 */
final class WebrtcInfo {
    private WebrtcInfo() {
    }

    static ObjectNode describe(JanusCore core, Handle h, PeerConnection pc, SessionDescription sd) {
        ConnectionDetails d = pc.details();
        ObjectNode w = Replies.JSON.objectNode();
        ObjectNode ice = w.putObject("ice");
        ice.put("stream_id", 1);
        ice.put("component_id", 1);
        // Janus' ICE state names (janus_get_ice_state_name); "ready" = ICE and DTLS done, as in Janus.
        ice.put("state", d.iceFailed() ? "failed" : pc.isUp() ? "ready" : d.selectedPair() != null ? "connected"
                : d.iceStartedMicros() > 0 ? "connecting" : "gathering");
        if (d.iceConnectedMicros() > 0) {
            ice.put("connected", d.iceConnectedMicros());
        }
        ArrayNode lc = ice.putArray("local-candidates");
        d.localCandidates().forEach(lc::add);
        ArrayNode rc = ice.putArray("remote-candidates");
        d.remoteCandidates().forEach(rc::add);
        if (d.selectedPair() != null) {
            ice.put("selected-pair", d.selectedPair());
        }
        ice.put("ready", pc.isUp() ? 1 : 0);
        w.set("dtls", dtls(core, pc, d));
        ObjectNode ext = w.putObject("extensions");
        if (sd != null && !sd.media().isEmpty()) {
            for (Extmap e : sd.media().get(0).extmaps()) {
                ext.put(e.uri(), e.id());
            }
        }
        w.putObject("bwe").put("twcc", false);
        ObjectNode media = w.putObject("media");
        ObjectNode stats = h.media.stats();
        if (sd != null) {
            boolean[] seen = new boolean[3];
            int index = 0;
            for (MediaDescription md : sd.media()) {
                int kind = md.kind() == MediaKind.AUDIO ? 0 : md.kind() == MediaKind.VIDEO ? 1 : 2;
                String mid = md.mid() != null ? md.mid() : Integer.toString(index);
                if (!md.isRejected() && (kind < 2 || md.isSctp())) {
                    media.set(mid, medium(core, h, pc, md, index, mid, kind, !seen[kind], stats));
                    seen[kind] = true;
                }
                index++;
            }
        }
        ObjectNode drops = w.putObject("drops");
        drops.put("srtp", d.srtpDropped());
        drops.put("unknown", d.unknownDropped());
        drops.put("forward_queue", stats.path("forward_queue_dropped").asLong());
        return w;
    }

    private static ObjectNode dtls(JanusCore core, PeerConnection pc, ConnectionDetails d) {
        ObjectNode dtls = Replies.JSON.objectNode();
        dtls.put("fingerprint", core.media().fingerprint().value());
        Fingerprint remote = d.remoteFingerprint();
        if (remote != null) {
            dtls.put("remote-fingerprint", remote.value());
            dtls.put("remote-fingerprint-hash", remote.algorithm());
        }
        DtlsRole role = d.dtlsRole();
        dtls.put("dtls-role", role == null ? "actpass" : role == DtlsRole.CLIENT ? "active" : "passive");
        dtls.put("dtls-state", d.dtlsFailed() ? "failed" : pc.isUp() ? "connected"
                : d.dtlsStartedMicros() > 0 ? "trying" : "created");
        dtls.put("valid", pc.isUp());
        dtls.put("srtp-profile", profileName(d.profile()));
        if (d.cipherSuite() != null) {
            dtls.put("cipher-suite", d.cipherSuite());
        }
        dtls.put("ready", pc.isUp());
        if (d.dtlsStartedMicros() > 0) {
            dtls.put("handshake-started", d.dtlsStartedMicros());
        }
        if (d.dtlsConnectedMicros() > 0) {
            dtls.put("connected", d.dtlsConnectedMicros());
        }
        dtls.put("sctp-association", pc.dataChannelsReady());
        return dtls;
    }

    /** Janus' names (janus_get_dtls_srtp_profile), "none" before DTLS is up. */
    static String profileName(SrtpProfile p) {
        if (p == null) {
            return "none";
        }
        return switch (p) {
            case AEAD_AES_128_GCM -> "SRTP_AEAD_AES_128_GCM";
            case AES128_CM_HMAC_SHA1_80 -> "SRTP_AES128_CM_SHA1_80";
        };
    }

    private static ObjectNode medium(JanusCore core, Handle h, PeerConnection pc, MediaDescription md, int index,
                                     String mid, int kind, boolean first, ObjectNode stats) {
        ObjectNode m = Replies.JSON.objectNode();
        m.put("type", kind == 0 ? "audio" : kind == 1 ? "video" : "data");
        m.put("mindex", index);
        m.put("mid", mid);
        if (kind == 2) {
            ConnectionDetails d = pc.details();
            ObjectNode s = m.putObject("stats");
            s.putObject("in").put("packets", d.dataIn()).put("bytes", d.dataInBytes());
            s.putObject("out").put("packets", d.dataOut()).put("bytes", d.dataOutBytes());
            return m;
        }
        HandleMedia hm = h.media;
        boolean nacks = false;
        for (RtcpFeedback fb : md.rtcpFeedback()) {
            nacks |= "nack".equalsIgnoreCase(fb.type()) && fb.parameter() == null;
        }
        m.put("do_nacks", nacks);
        m.put("nack-queue-ms", kind == 1 && nacks ? core.mediaSettings().nackQueueMillis() : 0);
        Direction dir = md.effectiveDirection();
        boolean ours = h.localSdp != null; // md is from our SDP; else from the peer's, seen from the other side
        boolean send = ours ? dir == Direction.SENDRECV || dir == Direction.SENDONLY
                : dir == Direction.SENDRECV || dir == Direction.RECVONLY;
        boolean recv = ours ? dir == Direction.SENDRECV || dir == Direction.RECVONLY
                : dir == Direction.SENDRECV || dir == Direction.SENDONLY;
        ObjectNode in = (ObjectNode) stats.path(kind == 0 ? "audio_in" : "video_in");
        ObjectNode out = (ObjectNode) stats.path(kind == 0 ? "audio_out" : "video_out");
        int rtxPt = kind == 1 ? rtxPayloadType(md, hm) : -1;
        ObjectNode ssrc = m.putObject("ssrc");
        if (send) {
            ssrc.put("ssrc", kind == 0 ? hm.audioSsrc : hm.videoSsrc);
            if (rtxPt >= 0) {
                ssrc.put("ssrc-rtx", hm.rtxSsrc);
            }
        }
        if (first && in.path("ssrc").asLong() != 0) {
            ssrc.put("ssrc-peer", in.path("ssrc").asLong());
        }
        ObjectNode direction = m.putObject("direction");
        direction.put("send", send);
        direction.put("recv", recv);
        ObjectNode codecs = m.putObject("codecs");
        RtpMap map = null;
        if (!md.formats().isEmpty()) {
            try {
                int pt = Integer.parseInt(md.formats().get(0));
                codecs.put("pt", pt);
                map = md.rtpMap(pt);
            } catch (NumberFormatException e) {
                // not an RTP format
            }
        }
        if (rtxPt >= 0) {
            codecs.put("rtx-pt", rtxPt);
        }
        if (map != null) {
            codecs.put("codec", map.encoding().toLowerCase(Locale.ROOT));
        }
        if (!first) {
            return m; // one stream per kind: the counters belong to the first m-line of the kind
        }
        LegTap t = h.tap;
        int k = kind == 0 ? LegTap.AUDIO : LegTap.VIDEO;
        ObjectNode main = m.putObject("rtcp").putObject("main");
        main.put("base", map != null ? map.clockRate() : kind == 0 ? 48000 : 90000);
        if (t.get(k, LegTap.RTT_MS) >= 0) {
            main.put("rtt", t.get(k, LegTap.RTT_MS));
        }
        main.put("lost", in.path("lost").asLong());
        main.put("lost-by-remote", t.get(k, LegTap.REMOTE_LOST));
        main.put("jitter-local", in.path("jitter").asLong());
        main.put("jitter-remote", t.get(k, LegTap.REMOTE_JITTER));
        main.put("fraction-lost-by-remote", t.get(k, LegTap.REMOTE_FRACTION));
        ObjectNode s = m.putObject("stats");
        ObjectNode si = s.putObject("in");
        si.put("packets", t.get(k, LegTap.IN_PACKETS));
        si.put("bytes", t.get(k, LegTap.IN_BYTES));
        si.put("nacks", t.get(k, LegTap.NACKS_SENT));
        si.put("plis", t.get(k, LegTap.PLIS_SENT));
        si.put("firs", t.get(k, LegTap.FIRS_SENT));
        // Publisher NACKs (core/PublisherNacks): what the peer resent as RTX that filled a gap, and what we gave up on.
        si.put("retransmissions", in.path("rtx_recovered").asLong());
        si.put("nack_gave_up", in.path("nack_gave_up").asLong());
        ObjectNode so = s.putObject("out");
        so.put("packets", t.get(k, LegTap.OUT_PACKETS));
        so.put("bytes", t.get(k, LegTap.OUT_BYTES));
        so.put("nacks", t.get(k, LegTap.NACKS_RECEIVED));
        so.put("retransmissions", out.path("retransmitted").asLong());
        so.put("nack_misses", out.path("nack_misses").asLong());
        so.put("rtx_packets", t.get(k, LegTap.OUT_RTX));
        so.put("plis", t.get(k, LegTap.PLIS_RECEIVED));
        so.put("firs", t.get(k, LegTap.FIRS_RECEIVED));
        return m;
    }

    /** The RTX payload type of a video m-line (RFC 4588 §8.1): the peer's answer's, or ours in our own offer. */
    private static int rtxPayloadType(MediaDescription md, HandleMedia hm) {
        if (hm.leg.rtxPayloadType() >= 0) {
            return hm.leg.rtxPayloadType();
        }
        for (RtpMap map : md.rtpMaps()) {
            if ("rtx".equalsIgnoreCase(map.encoding()) && md.formats().contains(Integer.toString(map.payloadType()))) {
                return map.payloadType();
            }
        }
        return -1;
    }
}
