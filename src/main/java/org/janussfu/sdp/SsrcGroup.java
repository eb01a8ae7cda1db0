package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code a=ssrc-group:<semantics> <ssrc-id> ...} (RFC 5576 §4.2), e.g. {@code FID} pairing a video SSRC with its
 * RFC 4588 retransmission SSRC (RFC 4588 §8 / RFC 5576 §7.1). Immutable value; any thread.
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

    public SsrcGroup {
        Objects.requireNonNull(semantics, "semantics");
        ssrcs = List.copyOf(ssrcs);
    }

    public static SsrcGroup parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("a=ssrc-group without value");
        }
        List<String> t = SdpTokens.split(attributeValue);
        if (t.isEmpty()) {
            throw new SdpException("a=ssrc-group without semantics");
        }
        List<Long> ssrcs = new ArrayList<>();
        for (String s : t.subList(1, t.size())) {
            ssrcs.add(SdpTokens.parseLong(s, 0xFFFF_FFFFL, "ssrc"));
        }
        return new SsrcGroup(t.get(0), ssrcs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(semantics);
        for (Long s : ssrcs) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }
}
