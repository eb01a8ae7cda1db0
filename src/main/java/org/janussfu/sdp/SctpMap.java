package org.janussfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The legacy {@code a=sctpmap:<number> <app> [<max streams>]} of draft-ietf-mmusic-sctp-sdp-05 (superseded by
 * {@code a=sctp-port} in RFC 8841 §5), used with {@code m=application <port> DTLS/SCTP <sctp port>} by old
 * browsers and by Janus's own offers. Immutable value; any thread.
 */
public record SctpMap(int number, String app, Integer streams) {

    public SctpMap {
        Objects.requireNonNull(app, "app");
        if (number < 0 || number > 65535) {
            throw new IllegalArgumentException("sctp port " + number);
        }
    }

    public static SctpMap parse(String attributeValue) throws SdpException {
        List<String> t = attributeValue == null ? List.of() : SdpTokens.split(attributeValue);
        if (t.size() < 2 || t.size() > 3) {
            throw new SdpException("a=sctpmap needs '<number> <app> [<streams>]'");
        }
        int number = SdpTokens.parseInt(t.get(0), 65535, "sctpmap port");
        Integer streams = t.size() == 3 ? SdpTokens.parseInt(t.get(2), 65535, "sctpmap streams") : null;
        return new SctpMap(number, t.get(1), streams);
    }

    @Override
    public String toString() {
        return number + " " + app + (streams == null ? "" : " " + streams);
    }
}
