package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One media section of a session description (RFC 8866 §5.14): the {@code m=} line ({@code media}, {@code port},
 * optional {@code /<number of ports>} as {@code portCount} (0 when absent), {@code proto}, {@code formats}), the
 * other media-level lines ({@code i=}, {@code c=}, {@code b=}, {@code k=}) as {@link SdpField}s, and every
 * {@code a=} line in its original order. The ordered attribute list is the single source of truth; the typed
 * accessors ({@link #mid()}, {@link #rtpMaps()}, {@link #fingerprint()}, ...) are views over it, so unknown
 * attributes survive a parse/write round trip untouched. Built by {@link SdpParser} or {@link #builder}; immutable
 * value, any thread.
 */
public record MediaDescription(String media, int port, int portCount, String proto, List<String> formats,
                               List<SdpField> fields, List<Attribute> attributes) {

    public MediaDescription {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(proto, "proto");
        formats = List.copyOf(formats);
        fields = List.copyOf(fields);
        attributes = List.copyOf(attributes);
        if (port < 0 || port > 65535 || portCount < 0) {
            throw new IllegalArgumentException("bad port " + port + "/" + portCount);
        }
    }

    public static Builder builder(String media, int port, String proto) {
        return new Builder(media, port, proto);
    }

    public Builder toBuilder() {
        Builder b = new Builder(media, port, proto);
        b.portCount = portCount;
        b.formats.addAll(formats);
        b.fields.addAll(fields);
        b.attributes.addAll(attributes);
        return b;
    }

    public MediaKind kind() {
        return MediaKind.of(media);
    }

    /** RTP-based protocols: {@code RTP/AVP}, {@code UDP/TLS/RTP/SAVPF}, ... (RFC 8866 §5.14, RFC 5764 §8). */
    public boolean isRtp() {
        return proto.toUpperCase(Locale.ROOT).contains("RTP/");
    }

    /** SCTP over DTLS: {@code UDP/DTLS/SCTP}, {@code TCP/DTLS/SCTP} (RFC 8841 §4.1) or legacy {@code DTLS/SCTP}. */
    public boolean isSctp() {
        return proto.toUpperCase(Locale.ROOT).endsWith("DTLS/SCTP");
    }

    /** Port 0 without {@code a=bundle-only}: the m-line is rejected or disabled (RFC 8866 §5.14, RFC 8843 §6). */
    public boolean isRejected() {
        return port == 0 && !hasAttribute("bundle-only");
    }

    public boolean hasAttribute(String name) {
        return Attributes.has(attributes, name);
    }

    /** First value of the named attribute, or null. */
    public String attribute(String name) {
        return Attributes.first(attributes, name);
    }

    public List<String> attributeValues(String name) {
        return Attributes.all(attributes, name);
    }

    /** The first {@code c=} value, or null. */
    public String connection() {
        return SdpField.first(fields, 'c');
    }

    /** {@code a=mid} (RFC 5888 §4), or null. */
    public String mid() {
        String mid = attribute("mid");
        return mid == null ? null : mid.strip();
    }

    /** The explicit direction attribute, or null (RFC 8866 §6.7: sendrecv is implied for RTP media). */
    public Direction direction() {
        for (Attribute a : attributes) {
            Direction d = a.value() == null ? Direction.of(a.name()) : null;
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    public Direction effectiveDirection() {
        Direction d = direction();
        return d == null ? Direction.SENDRECV : d;
    }

    /** {@code a=rtcp-mux} (RFC 5761 §5.1.1). */
    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    /** {@code a=ice-ufrag} (RFC 8839 §5.4), or null. */
    public String iceUfrag() {
        return trimmed(attribute("ice-ufrag"));
    }

    /** {@code a=ice-pwd} (RFC 8839 §5.4), or null. */
    public String icePwd() {
        return trimmed(attribute("ice-pwd"));
    }

    /** {@code a=ice-options} (RFC 8839 §5.6), or null. */
    public String iceOptions() {
        return trimmed(attribute("ice-options"));
    }

    /** {@code a=fingerprint} (RFC 8122 §5), or null. */
    public Fingerprint fingerprint() {
        return Attributes.firstTyped(attributes, "fingerprint", Fingerprint::parse);
    }

    /** {@code a=setup} (RFC 4145 §4 / RFC 8842 §5), or null. */
    public SetupRole setup() {
        return Attributes.firstTyped(attributes, "setup", SetupRole::parse);
    }

    /** Raw {@code a=candidate} values (RFC 8839 §5.1), without the {@code candidate:} prefix. */
    public List<String> candidates() {
        return attributeValues("candidate");
    }

    /** {@code a=end-of-candidates} (RFC 8840 §8). */
    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    public List<RtpMap> rtpMaps() {
        return Attributes.typed(attributes, "rtpmap", RtpMap::parse);
    }

    /** The rtpmap of a payload type, or null (static payload types may have none, RFC 3551 §6). */
    public RtpMap rtpMap(int payloadType) {
        for (RtpMap m : rtpMaps()) {
            if (m.payloadType() == payloadType) {
                return m;
            }
        }
        return null;
    }

    public List<Fmtp> fmtps() {
        return Attributes.typed(attributes, "fmtp", Fmtp::parse);
    }

    /** The first fmtp of a payload type, or null. */
    public Fmtp fmtp(int payloadType) {
        for (Fmtp f : fmtps()) {
            if (f.payloadType() == payloadType) {
                return f;
            }
        }
        return null;
    }

    public List<RtcpFeedback> rtcpFeedback() {
        return Attributes.typed(attributes, "rtcp-fb", RtcpFeedback::parse);
    }

    /** Feedback that applies to a payload type, including {@code *} entries (RFC 4585 §4.2). */
    public List<RtcpFeedback> rtcpFeedback(int payloadType) {
        List<RtcpFeedback> out = new ArrayList<>();
        for (RtcpFeedback f : rtcpFeedback()) {
            if (f.appliesTo(payloadType)) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    public List<Extmap> extmaps() {
        return Attributes.typed(attributes, "extmap", Extmap::parse);
    }

    public List<SsrcAttribute> ssrcs() {
        return Attributes.typed(attributes, "ssrc", SsrcAttribute::parse);
    }

    public List<SsrcGroup> ssrcGroups() {
        return Attributes.typed(attributes, "ssrc-group", SsrcGroup::parse);
    }

    /** {@code a=msid} (RFC 8830 §2), or null. */
    public Msid msid() {
        return Attributes.firstTyped(attributes, "msid", Msid::parse);
    }

    /** {@code a=sctp-port} (RFC 8841 §5), or null. */
    public Integer sctpPort() {
        Long v = Attributes.firstTyped(attributes, "sctp-port", s -> Attributes.parseNumber(s, 65535, "sctp-port"));
        return v == null ? null : v.intValue();
    }

    /** {@code a=max-message-size} (RFC 8841 §6), or null; absent means 64 KiB (RFC 8841 §6). */
    public Long maxMessageSize() {
        return Attributes.firstTyped(attributes, "max-message-size",
                s -> Attributes.parseNumber(s, Long.MAX_VALUE, "max-message-size"));
    }

    /** The legacy {@code a=sctpmap}, or null. */
    public SctpMap sctpMap() {
        return Attributes.firstTyped(attributes, "sctpmap", SctpMap::parse);
    }

    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, portCount, proto, formats, fields, attributes);
    }

    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(media, port, portCount, proto, formats, fields, newAttributes);
    }

    public MediaDescription withFields(List<SdpField> newFields) {
        return new MediaDescription(media, port, portCount, proto, formats, newFields, attributes);
    }

    private static String trimmed(String s) {
        return s == null ? null : s.strip();
    }

    /** Assembles a media section line by line, attributes in call order. Not thread-safe; use on one thread. */
    public static final class Builder {
        private final String media;
        private final int port;
        private final String proto;
        private int portCount;
        private final List<String> formats = new ArrayList<>();
        private final List<SdpField> fields = new ArrayList<>();
        private final List<Attribute> attributes = new ArrayList<>();

        private Builder(String media, int port, String proto) {
            this.media = media;
            this.port = port;
            this.proto = proto;
        }

        public Builder format(String format) {
            formats.add(format);
            return this;
        }

        public Builder format(int payloadType) {
            return format(Integer.toString(payloadType));
        }

        public Builder connection(String value) {
            fields.removeIf(f -> f.type() == 'c');
            fields.add(SdpField.connection(value));
            return this;
        }

        public Builder field(SdpField field) {
            fields.add(field);
            return this;
        }

        public Builder attribute(Attribute attribute) {
            attributes.add(attribute);
            return this;
        }

        public Builder attribute(String name, String value) {
            return attribute(Attribute.of(name, value));
        }

        public Builder attribute(String name, Object value) {
            return attribute(Attribute.of(name, String.valueOf(value)));
        }

        public Builder flag(String name) {
            return attribute(Attribute.flag(name));
        }

        public Builder mid(String mid) {
            return attribute("mid", mid);
        }

        public Builder direction(Direction direction) {
            return flag(direction.token());
        }

        public Builder rtpMap(RtpMap map) {
            return attribute("rtpmap", map.toString());
        }

        public Builder fmtp(int payloadType, String parameterText) {
            return attribute("fmtp", new Fmtp(payloadType, parameterText).toString());
        }

        public Builder rtcpFeedback(int payloadType, String feedbackText) {
            return attribute("rtcp-fb", payloadType + " " + feedbackText);
        }

        public MediaDescription build() {
            return new MediaDescription(media, port, portCount, proto, formats, fields, attributes);
        }
    }
}
