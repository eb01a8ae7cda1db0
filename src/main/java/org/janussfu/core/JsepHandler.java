package org.janussfu.core;

import org.janussfu.sdp.JsepMerge;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.RtpMap;
import org.janussfu.sdp.Origin;
import org.janussfu.sdp.RemoteTransport;
import org.janussfu.sdp.SdpException;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SdpWriter;
import org.janussfu.sdp.SendSsrcs;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.PeerConnection;

import java.util.logging.Logger;

/**
 * What Janus core does around a plugin's SDP (sfu-protocol.md §7.5): applies the peer's offer or answer to the
 * handle's PeerConnection (ICE credentials, candidates, fingerprint, DTLS role), and completes the plugin's answer
 * or offer template with our ICE credentials, candidates, fingerprint, setup role, BUNDLE, and — in offers — the
 * handle's own sending SSRCs. Stateless; runs on the handle's session context.
 */
final class JsepHandler {
    private static final Logger LOG = Logger.getLogger(JsepHandler.class.getName());

    private JsepHandler() {
    }

    /** The peer's JSEP, before the plugin sees it. A description we cannot use is a 465. */
    static void applyRemote(Handle h, Jsep jsep) throws JanusException {
        SessionDescription sd;
        RemoteTransport remote;
        try {
            sd = SdpParser.parse(jsep.sdp());
            remote = RemoteTransport.from(sd);
        } catch (SdpException e) {
            throw new JanusException(JanusError.JSEP_INVALID_SDP, "JSEP error: invalid SDP (" + e.getMessage() + ")");
        }
        HandleMedia m = h.media;
        h.remoteSdp = jsep.sdp();
        if (jsep.type() == Jsep.Type.OFFER) {
            h.gotOffer = true;
        } else {
            h.gotAnswer = true;
        }
        enableDataChannels(m, sd);
        if (jsep.type() == Jsep.Type.OFFER) {
            m.learnPayloadTypes(sd);
            m.answerSetup = remote.answerRole();
            m.peerConnection().setRemote(remote, m.answerSetup, false);
        } else {
            m.leg.setRtxPayloadType(rtxPayloadType(sd));
            m.peerConnection().setRemote(remote, m.localSetup == null ? SetupRole.ACTPASS : m.localSetup, true);
        }
    }

    /**
     * The peer's first application m-line (RFC 8841): its SCTP port ({@code a=sctp-port}, or the legacy sctpmap
     * format) and {@code a=max-message-size}; the SFU accepts the first one in answers and offers one itself.
     */
    private static void enableDataChannels(HandleMedia m, SessionDescription sd) {
        for (MediaDescription md : sd.media()) {
            if (md.kind() == MediaKind.APPLICATION && md.isSctp() && !md.isRejected()) {
                Integer port = md.sctpPort();
                if (port == null && md.sctpMap() != null) {
                    port = md.sctpMap().number();
                }
                Long max = md.maxMessageSize();
                m.peerConnection().enableDataChannels(port == null ? 5000 : port,
                        max == null ? 65536 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, max)));
                return;
            }
        }
    }

    /** The RTX payload type (RFC 4588 §8.1) the peer accepted on its video m-line, or -1. */
    static int rtxPayloadType(SessionDescription answer) {
        for (MediaDescription md : answer.media()) {
            if (md.kind() != MediaKind.VIDEO || md.isRejected()) {
                continue;
            }
            for (RtpMap map : md.rtpMaps()) {
                if ("rtx".equalsIgnoreCase(map.encoding()) && md.formats().contains(Integer.toString(map.payloadType()))) {
                    return map.payloadType();
                }
            }
        }
        return -1;
    }

    /** Completes a plugin's JSEP for this handle; null (logged) if the plugin's template is unusable. */
    static Jsep completeLocal(Handle h, Jsep template) {
        HandleMedia m = h.media;
        try {
            SessionDescription t = SdpParser.parse(template.sdp());
            SetupRole setup = template.type() == Jsep.Type.OFFER ? SetupRole.ACTPASS : m.answerSetup;
            PeerConnection pc = m.peerConnection();
            if (template.restart() && template.type() == Jsep.Type.OFFER) {
                pc.restartIce(); // new credentials and candidates in this offer (RFC 8445 §9)
            }
            SessionDescription merged = JsepMerge.merge(t, pc.localTransport(setup));
            if (template.type() == Jsep.Type.OFFER) {
                merged = JsepMerge.withSendSsrcs(merged, SendSsrcs.janus(m.audioSsrc, m.videoSsrc, m.rtxSsrc));
            }
            merged = merged.withOrigin(Origin.jsep(m.sdpSessionId, ++m.sdpVersion));
            if (template.type() == Jsep.Type.ANSWER) {
                m.leg.learnAnswer(merged); // what we accepted of the peer's video: NACK, RTX
            }
            m.localSetup = setup;
            String sdp = SdpWriter.write(merged);
            h.localSdp = sdp;
            return new Jsep(template.type(), sdp, true);
        } catch (SdpException | RuntimeException e) {
            LOG.severe(() -> "cannot complete the plugin's " + template.type().wire() + " for " + h + ": " + e);
            return null;
        }
    }
}
