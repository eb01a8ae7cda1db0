package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses an SDP session description (RFC 8866) as sent by Chrome, Firefox and Safari in Unified Plan (RFC 8829).
 * Tolerant where browsers differ: CRLF, LF or lone CR line ends, blank lines, trailing blanks, unknown attributes
 * (kept verbatim), attributes in any order. Strict where garbage would otherwise flow into the media plane: the
 * first line must be {@code v=0} (§5.1); {@code o=} and {@code s=} must appear once (§5.2, §5.3); every line must be
 * {@code <lower-case letter>=<value>} with a type known at its level (§5: a parser must reject unknown types); at
 * least one {@code m=} line (JSEP never offers none); {@code m=} lines need a media token, a port in 0..65535 with
 * an optional {@code /<count>}, a proto and at least one format (§5.14); RTP formats must be payload types 0..127
 * and legacy {@code DTLS/SCTP} formats port numbers. The values of the attributes this server interprets (rtpmap,
 * fmtp, rtcp-fb, extmap, ssrc, ssrc-group, msid, fingerprint, setup, sctp-port, max-message-size, sctpmap, mid,
 * ice-ufrag, ice-pwd, candidate) are checked too. Every problem is an {@link SdpException}; no input makes it throw
 * anything else. Stateless; any thread.
 */
public final class SdpParser {
    private static final String SESSION_TYPES = "vosiuepcbtrzkam";
    private static final String MEDIA_TYPES = "icbkam";

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp == null) {
            throw new SdpException("no SDP");
        }
        List<String> lines = lines(sdp);
        if (lines.isEmpty()) {
            throw new SdpException("empty SDP");
        }
        if (!lines.get(0).equals("v=0")) {
            throw SdpException.atLine(1, "SDP must start with v=0");
        }
        Origin origin = null;
        String sessionName = null;
        List<SdpField> sessionFields = new ArrayList<>();
        List<Attribute> sessionAttributes = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        MediaLine current = null;
        List<SdpField> mediaFields = null;
        List<Attribute> mediaAttributes = null;

        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw SdpException.atLine(lineNo, "not a '<type>=<value>' line: '" + SdpTokens.shorten(line) + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                if (current != null) {
                    media.add(current.build(mediaFields, mediaAttributes));
                }
                current = MediaLine.parse(value, lineNo);
                mediaFields = new ArrayList<>();
                mediaAttributes = new ArrayList<>();
                continue;
            }
            String allowed = current == null ? SESSION_TYPES : MEDIA_TYPES;
            if (allowed.indexOf(type) < 0) {
                throw SdpException.atLine(lineNo, "'" + type + "=' not allowed "
                        + (current == null ? "at session level" : "in a media section"));
            }
            switch (type) {
                case 'v' -> throw SdpException.atLine(lineNo, "duplicate v=");
                case 'o' -> {
                    if (origin != null) {
                        throw SdpException.atLine(lineNo, "duplicate o=");
                    }
                    origin = wrap(lineNo, () -> Origin.parse(value));
                }
                case 's' -> {
                    if (sessionName != null) {
                        throw SdpException.atLine(lineNo, "duplicate s=");
                    }
                    sessionName = value;
                }
                case 'a' -> {
                    Attribute a = attribute(value, lineNo);
                    (current == null ? sessionAttributes : mediaAttributes).add(a);
                }
                default -> (current == null ? sessionFields : mediaFields).add(new SdpField(type, value));
            }
        }
        if (current == null) {
            throw new SdpException("no m= line");
        }
        media.add(current.build(mediaFields, mediaAttributes));
        if (origin == null) {
            throw new SdpException("missing o= line");
        }
        if (sessionName == null) {
            throw new SdpException("missing s= line");
        }
        return new SessionDescription(origin, sessionName, sessionFields, sessionAttributes, media);
    }

    /** Splits on CRLF, LF or CR; strips trailing blanks; drops blank lines. */
    static List<String> lines(String sdp) {
        List<String> out = new ArrayList<>();
        int n = sdp.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? sdp.charAt(i) : '\n';
            if (c == '\n' || c == '\r') {
                int end = i;
                while (end > start && SdpTokens.isBlank(sdp.charAt(end - 1))) {
                    end--;
                }
                if (end > start) {
                    out.add(sdp.substring(start, end));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static Attribute attribute(String text, int lineNo) throws SdpException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1);
        if (name.isEmpty() || !isToken(name)) {
            throw SdpException.atLine(lineNo, "bad attribute name: '" + SdpTokens.shorten(name) + "'");
        }
        wrap(lineNo, () -> {
            check(name.toLowerCase(Locale.ROOT), value);
            return null;
        });
        return new Attribute(name, value);
    }

    /** Validates the values this server reads; anything else passes through. */
    private static void check(String name, String value) throws SdpException {
        switch (name) {
            case "rtpmap" -> RtpMap.parse(value);
            case "fmtp" -> Fmtp.parse(value);
            case "rtcp-fb" -> RtcpFeedback.parse(value);
            case "extmap" -> Extmap.parse(value);
            case "ssrc" -> SsrcAttribute.parse(value);
            case "ssrc-group" -> SsrcGroup.parse(value);
            case "msid" -> Msid.parse(value);
            case "fingerprint" -> Fingerprint.parse(value);
            case "setup" -> SetupRole.parse(value);
            case "sctp-port" -> Attributes.parseNumber(value, 65535, "sctp-port");
            case "max-message-size" -> Attributes.parseNumber(value, Long.MAX_VALUE, "max-message-size");
            case "sctpmap" -> SctpMap.parse(value);
            case "mid", "ice-ufrag", "ice-pwd", "candidate" -> {
                if (value == null || value.isBlank()) {
                    throw new SdpException("a=" + name + " without value");
                }
            }
            default -> {
                // unknown or uninterpreted: kept verbatim
            }
        }
    }

    /** RFC 8866 §9 token characters (RFC 4566 token), which covers every attribute name in use. */
    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`{|}~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private interface Step<T> {
        T run() throws SdpException;
    }

    private static <T> T wrap(int lineNo, Step<T> step) throws SdpException {
        try {
            return step.run();
        } catch (SdpException e) {
            throw SdpException.atLine(lineNo, e.getMessage());
        }
    }

    /** A parsed {@code m=} line waiting for its fields and attributes. */
    private record MediaLine(String media, int port, int portCount, String proto, List<String> formats) {

        static MediaLine parse(String value, int lineNo) throws SdpException {
            List<String> t = SdpTokens.split(value);
            if (t.size() < 4) {
                throw SdpException.atLine(lineNo, "m= needs '<media> <port> <proto> <fmt> ...'");
            }
            String media = t.get(0);
            if (!isToken(media)) {
                throw SdpException.atLine(lineNo, "bad media type");
            }
            String portText = t.get(1);
            int portCount = 0;
            int slash = portText.indexOf('/');
            if (slash >= 0) {
                portCount = wrap(lineNo, () -> SdpTokens.parseInt(portText.substring(slash + 1), 65535, "port count"));
                if (portCount < 1) {
                    throw SdpException.atLine(lineNo, "port count 0");
                }
            }
            String portOnly = slash >= 0 ? portText.substring(0, slash) : portText;
            int port = wrap(lineNo, () -> SdpTokens.parseInt(portOnly, 65535, "port"));
            String proto = t.get(2);
            List<String> formats = List.copyOf(t.subList(3, t.size()));
            String upper = proto.toUpperCase(Locale.ROOT);
            for (String f : formats) {
                if (upper.contains("RTP/")) {
                    wrap(lineNo, () -> SdpTokens.parsePayloadType(f));
                } else if (upper.equals("DTLS/SCTP")) {
                    wrap(lineNo, () -> SdpTokens.parseInt(f, 65535, "SCTP port format"));
                }
            }
            return new MediaLine(media, port, portCount, proto, formats);
        }

        MediaDescription build(List<SdpField> fields, List<Attribute> attributes) {
            return new MediaDescription(media, port, portCount, proto, formats, fields, attributes);
        }
    }
}
