package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills a plugin's SDP template with what Janus core adds around it (sfu-protocol §7.5): the SFU's ICE and DTLS
 * parameters, BUNDLE, rtcp-mux, candidates, and for sending m-lines the SSRC, msid and cname lines.
 *
 * <p>{@link #merge} writes, at session level, {@code a=group:BUNDLE} with the mids of all accepted m-lines in
 * m-line order (RFC 8843 §7; the first is the tagged m-line) first and {@code a=msid-semantic: WMS janus} last,
 * and drops the session-level {@code c=} line. In every accepted m-line it writes, in this order: {@code a=mid}
 * (RFC 5888 §4), the template's direction, {@code a=rtcp-mux} for RTP m-lines (RFC 5761 §5.1.1, required with
 * BUNDLE by RFC 8843 §9.3), {@code a=ice-ufrag}, {@code a=ice-pwd} (RFC 8839 §5.4), {@code a=ice-options:trickle}
 * (RFC 8839 §5.6, RFC 8840), {@code a=fingerprint} (RFC 8122 §5), {@code a=setup} (RFC 8842 §5), then the
 * template's own attributes, then every candidate (RFC 8839 §5.1) and {@code a=end-of-candidates} (RFC 8840 §8),
 * because the SFU does not trickle (clients have no handler for server trickles, sfu-protocol §7.3).
 *
 * <p>Like Janus, transport attributes and candidates are repeated in every accepted m-line rather than only in the
 * BUNDLE-tagged one as RFC 8843 §7.3 would have an answerer do; every browser accepts both and the repeated form is
 * what naf-janus-adapter has always received. Rejected m-lines (port 0) are left as they are, with a {@code c=} line
 * added if missing (RFC 8866 §5.7: needed in every m-line once the session-level one is gone). Stateless; any thread.
 */
public final class JsepMerge {
    private static final String[] TRANSPORT_ATTRIBUTES = {"mid", "sendrecv", "sendonly", "recvonly", "inactive",
        "rtcp-mux", "ice-ufrag", "ice-pwd", "ice-options", "fingerprint", "setup", "candidate", "end-of-candidates"};

    private JsepMerge() {
    }

    public static SessionDescription merge(SessionDescription template, LocalTransport local) {
        List<MediaDescription> media = new ArrayList<>();
        List<String> bundle = new ArrayList<>();
        int index = 0;
        for (MediaDescription m : template.media()) {
            if (m.isRejected()) {
                media.add(withConnection(m));
            } else {
                String mid = m.mid() != null ? m.mid() : Integer.toString(index);
                bundle.add(mid);
                media.add(mergeMedia(withConnection(m), mid, local));
            }
            index++;
        }
        List<Attribute> session = new ArrayList<>();
        if (!bundle.isEmpty()) {
            session.add(Attribute.of("group", "BUNDLE " + String.join(" ", bundle)));
        }
        for (Attribute a : template.attributes()) {
            boolean bundleGroup = a.is("group") && a.value() != null
                    && a.value().strip().regionMatches(true, 0, "BUNDLE", 0, 6);
            if (!bundleGroup && !a.is("msid-semantic") && !a.is("ice-ufrag") && !a.is("ice-pwd")
                    && !a.is("ice-options") && !a.is("fingerprint") && !a.is("setup")) {
                session.add(a);
            }
        }
        session.add(Attribute.of("msid-semantic", " WMS janus"));
        return template.withoutConnection().withAttributes(session).withMedia(media);
    }

    private static MediaDescription mergeMedia(MediaDescription m, String mid, LocalTransport local) {
        List<Attribute> out = new ArrayList<>();
        out.add(Attribute.of("mid", mid));
        Direction direction = m.direction();
        if (direction != null) {
            out.add(Attribute.flag(direction.token()));
        }
        if (m.isRtp()) {
            out.add(Attribute.flag("rtcp-mux"));
        }
        out.add(Attribute.of("ice-ufrag", local.ufrag()));
        out.add(Attribute.of("ice-pwd", local.pwd()));
        out.add(Attribute.of("ice-options", "trickle"));
        out.add(Attribute.of("fingerprint", local.fingerprint().toString()));
        out.add(Attribute.of("setup", local.setup().token()));
        out.addAll(Attributes.without(m.attributes(), TRANSPORT_ATTRIBUTES));
        for (String c : local.candidates()) {
            out.add(Attribute.of("candidate", c));
        }
        out.add(Attribute.flag("end-of-candidates"));
        return m.withAttributes(out);
    }

    private static MediaDescription withConnection(MediaDescription m) {
        if (m.connection() != null) {
            return m;
        }
        List<SdpField> fields = new ArrayList<>(m.fields());
        fields.add(SdpField.connection(SfuSdp.NULL_CONNECTION));
        return m.withFields(fields);
    }

    /**
     * Adds a subscriber handle's sending identity (sfu-protocol §6.2) to the first accepted audio and video m-lines
     * that send (sendonly or sendrecv): {@code a=msid:<stream> <track>} (RFC 8830 §2), for video with an RTX SSRC
     * and an {@code rtx} rtpmap {@code a=ssrc-group:FID <video> <rtx>} (RFC 5576 §4.2, RFC 4588 §8), and per
     * SSRC {@code a=ssrc:<id> cname:<cname>} (RFC 5576 §6.1) and {@code a=ssrc:<id> msid:<stream> <track>}.
     * Earlier msid/ssrc lines on those m-lines are replaced, and the new ones go before any candidate lines, so
     * this may be applied before or after {@link #merge}.
     */
    public static SessionDescription withSendSsrcs(SessionDescription sd, SendSsrcs ssrcs) {
        List<MediaDescription> media = new ArrayList<>();
        boolean audioDone = false;
        boolean videoDone = false;
        for (MediaDescription m : sd.media()) {
            boolean sends = !m.isRejected() && m.effectiveDirection() != Direction.RECVONLY
                    && m.effectiveDirection() != Direction.INACTIVE;
            if (sends && !audioDone && m.kind() == MediaKind.AUDIO) {
                audioDone = true;
                media.add(addSsrcs(m, List.of(ssrcs.audioSsrc()), ssrcs, ssrcs.audioTrackId()));
            } else if (sends && !videoDone && m.kind() == MediaKind.VIDEO) {
                videoDone = true;
                boolean rtx = ssrcs.videoRtxSsrc().isPresent()
                        && m.rtpMaps().stream().anyMatch(r -> r.isEncoding("rtx"));
                List<Long> ids = rtx ? List.of(ssrcs.videoSsrc(), ssrcs.videoRtxSsrc().getAsLong())
                        : List.of(ssrcs.videoSsrc());
                media.add(addSsrcs(m, ids, ssrcs, ssrcs.videoTrackId()));
            } else {
                media.add(m);
            }
        }
        return sd.withMedia(media);
    }

    private static MediaDescription addSsrcs(MediaDescription m, List<Long> ids, SendSsrcs ssrcs, String track) {
        String msid = new Msid(ssrcs.streamId(), track).toString();
        List<Attribute> lines = new ArrayList<>();
        lines.add(Attribute.of("msid", msid));
        if (ids.size() > 1) {
            lines.add(Attribute.of("ssrc-group", new SsrcGroup("FID", ids).toString()));
        }
        for (long id : ids) {
            lines.add(Attribute.of("ssrc", new SsrcAttribute(id, "cname", ssrcs.cname()).toString()));
            lines.add(Attribute.of("ssrc", new SsrcAttribute(id, "msid", msid).toString()));
        }
        List<Attribute> out = Attributes.without(m.attributes(), "msid", "ssrc", "ssrc-group");
        int at = out.size();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).is("candidate") || out.get(i).is("end-of-candidates")) {
                at = i;
                break;
            }
        }
        out.addAll(at, lines);
        return m.withAttributes(out);
    }
}
