package org.janussfu.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads SDP fixtures from {@code src/test/resources/fixtures/sdp}. Stateless; any thread. */
final class Fixtures {
    static final List<String> VALID = List.of(
            "chrome-datachannel-offer.sdp",
            "chrome-renegotiation-offer.sdp",
            "chrome-two-audio-vp8-offer.sdp",
            "firefox-offer.sdp",
            "safari-offer.sdp",
            "legacy-datachannel-offer.sdp");

    static final List<String> MALFORMED = List.of(
            "malformed-missing-version.sdp",
            "malformed-no-media.sdp",
            "malformed-short-mline.sdp",
            "malformed-bad-port.sdp",
            "malformed-bad-payload-type.sdp",
            "malformed-bad-rtpmap.sdp",
            "malformed-html.sdp");

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) {
        try {
            return SdpParser.parse(text(name));
        } catch (SdpException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }

    /** The fixture text with every line ending turned into CRLF. */
    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }
}
