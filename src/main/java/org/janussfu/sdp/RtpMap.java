package org.janussfu.sdp;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]} (RFC 8866 §6.6). The
 * encoding parameters (the channel count for audio) are kept as text, or null when absent. Immutable value; any
 * thread.
 */
public record RtpMap(int payloadType, String encoding, int clockRate, String encodingParameters) {

    public RtpMap {
        Objects.requireNonNull(encoding, "encoding");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
    }

    public static RtpMap parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("a=rtpmap without value");
        }
        String[] parts = SdpTokens.splitFirst(attributeValue.strip());
        int pt = SdpTokens.parsePayloadType(parts[0]);
        if (parts[1] == null) {
            throw new SdpException("a=rtpmap:" + pt + " without encoding");
        }
        String[] enc = parts[1].split("/", 3);
        if (enc.length < 2 || enc[0].isEmpty()) {
            throw new SdpException("a=rtpmap:" + pt + " needs <encoding>/<clock rate>");
        }
        int clock = SdpTokens.parseInt(enc[1].strip(), Integer.MAX_VALUE, "clock rate");
        return new RtpMap(pt, enc[0], clock, enc.length == 3 ? enc[2] : null);
    }

    /** Whether the encoding name matches, ignoring case (RFC 8866 §6.6 encoding names are case-insensitive). */
    public boolean isEncoding(String name) {
        return encoding.equalsIgnoreCase(name);
    }

    /** The {@code <encoding>/<clock>[/<params>]} part, e.g. {@code opus/48000/2}. */
    public String codecText() {
        return encoding + "/" + clockRate + (encodingParameters == null ? "" : "/" + encodingParameters);
    }

    public String upperEncoding() {
        return encoding.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return payloadType + " " + codecText();
    }
}
