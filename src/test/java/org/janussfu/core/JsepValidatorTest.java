package org.janussfu.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDP shape check the core applies before a plugin sees a JSEP (RFC 8866 §5). */
class JsepValidatorTest {
    @Test
    void acceptsRealShapes() {
        assertTrue(JsepValidator.looksLikeSdp("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"));
        assertTrue(JsepValidator.looksLikeSdp("v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\n"));
    }

    @Test
    void rejectsGarbage() {
        assertFalse(JsepValidator.looksLikeSdp(""));
        assertFalse(JsepValidator.looksLikeSdp("hello"));
        assertFalse(JsepValidator.looksLikeSdp("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"), "no media");
        assertFalse(JsepValidator.looksLikeSdp("v=0\r\nX=1\r\nm=audio 9 RTP/AVP 0\r\n"));
        assertFalse(JsepValidator.looksLikeSdp("v=0\r\nm\r\n"));
        assertFalse(JsepValidator.looksLikeSdp("v=0\r\nm=audio 9 RTP/AVP 0\r\n" + "a=x\r\n".repeat(30_000)));
    }
}
