package org.janussfu.loadtest.harness;

/**
 * SDP templates for the simulated publisher's offer, shaped like naf-janus-adapter's renegotiated Chrome offer:
 * {@code m=application} first (the data channels), then {@code m=audio} with Opus 111 (sendrecv, one SSRC), then
 * optionally {@code m=video} with H.264 (packetization-mode 1, profile 42e01f, which both servers accept). ICE,
 * DTLS and candidates are added by {@code JsepMerge}. Stateless.
 */
final class Offers {
    private Offers() {
    }

    static String publisher(boolean audio, long audioSsrc, boolean video, long videoSsrc) {
        StringBuilder s = new StringBuilder();
        String bundle = "0" + (audio ? " 1" : "") + (video ? (audio ? " 2" : " 1") : "");
        s.append("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
                .append("a=group:BUNDLE ").append(bundle).append("\r\na=msid-semantic: WMS lt\r\n")
                .append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n");
        int mid = 1;
        if (audio) {
            s.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n")
                    .append("a=mid:").append(mid++).append("\r\na=sendrecv\r\na=msid:lt lt-audio\r\na=rtcp-mux\r\n")
                    .append("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n")
                    .append("a=fmtp:111 minptime=10;useinbandfec=1\r\n")
                    .append("a=ssrc:").append(audioSsrc).append(" cname:loadtest\r\n")
                    .append("a=ssrc:").append(audioSsrc).append(" msid:lt lt-audio\r\n");
        }
        if (video) {
            s.append("m=video 9 UDP/TLS/RTP/SAVPF 103\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n")
                    .append("a=mid:").append(mid).append("\r\na=sendrecv\r\na=msid:lt lt-video\r\na=rtcp-mux\r\na=rtcp-rsize\r\n")
                    .append("a=rtpmap:103 H264/90000\r\na=rtcp-fb:103 ccm fir\r\na=rtcp-fb:103 nack\r\n")
                    .append("a=rtcp-fb:103 nack pli\r\n")
                    .append("a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n")
                    .append("a=ssrc:").append(videoSsrc).append(" cname:loadtest\r\n")
                    .append("a=ssrc:").append(videoSsrc).append(" msid:lt lt-video\r\n");
        }
        return s.toString();
    }
}
