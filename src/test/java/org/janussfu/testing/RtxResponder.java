package org.janussfu.testing;

import org.janussfu.rtp.RtcpReports;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.rtp.RtxPacket;
import org.janussfu.webrtc.PeerConnection;

import java.util.Arrays;

/**
 * A test publisher's sender-side NACK handling, as a browser does it: keeps a plaintext copy of the last
 * {@link #HISTORY} video packets it sent (by sequence number) and answers each Generic NACK (RFC 4585 §6.2.1) about
 * its video SSRC with an RTX packet (RFC 4588 §4: RTX payload type and SSRC, its own sequence, the OSN in front of
 * the payload). {@link #sent} runs on the sending thread before the packet is encrypted in place; {@link #onRtcp}
 * on the peer's context (its RTCP tap), where it sends the retransmission directly. Synchronised on itself.
 */
public final class RtxResponder {
    public static final int HISTORY = 1024;

    private final PeerConnection pc;
    private final int rtxPt;
    private final long rtxSsrc;
    private final long videoSsrc;
    private final byte[][] history = new byte[HISTORY][];
    private final int[] historyLen = new int[HISTORY];
    private final int[] historySeq = new int[HISTORY];
    private int rtxSeq;
    /** Sequence numbers asked for, answered with RTX, and asked for but no longer (or never) kept. */
    public int requested;
    public int answered;
    public int missed;

    public RtxResponder(PeerConnection pc, int rtxPt, long rtxSsrc, long videoSsrc) {
        this.pc = pc;
        this.rtxPt = rtxPt;
        this.rtxSsrc = rtxSsrc;
        this.videoSsrc = videoSsrc;
    }

    /** Remembers a plaintext video packet (other payload types and SSRCs are ignored). */
    public synchronized void sent(byte[] packet, int len) {
        if (RtpHeader.ssrc(packet, 0) != videoSsrc) {
            return;
        }
        int seq = RtpHeader.sequence(packet, 0);
        int slot = seq % HISTORY;
        history[slot] = Arrays.copyOf(packet, len);
        historyLen[slot] = len;
        historySeq[slot] = seq;
    }

    /** Answers the NACKs in a (decrypted) compound RTCP packet. Call on the peer's context. */
    public synchronized void onRtcp(byte[] rtcp) {
        RtcpReports.forEachNack(rtcp, 0, rtcp.length, (ssrc, seq) -> {
            if (ssrc != videoSsrc) {
                return;
            }
            requested++;
            int slot = seq % HISTORY;
            byte[] p = history[slot];
            if (p == null || historySeq[slot] != seq) {
                missed++;
                return;
            }
            byte[] rtx = new byte[historyLen[slot] + 2 + 64];
            int n = RtxPacket.write(p, 0, historyLen[slot], rtx, 0, rtxPt, rtxSsrc, rtxSeq);
            rtxSeq = (rtxSeq + 1) & 0xffff;
            if (n > 0 && pc.sendRtp(rtx, 0, n) >= 0) {
                answered++;
            }
        });
    }

    /** The RTX payload type whose {@code apt} is {@code pt} on the first video m-line of {@code sdp}, or -1. */
    public static int rtxPayloadType(String sdp, int pt) throws Exception {
        for (var m : org.janussfu.sdp.SdpParser.parse(sdp).media()) {
            if (m.kind() != org.janussfu.sdp.MediaKind.VIDEO || m.isRejected()) {
                continue;
            }
            for (var map : m.rtpMaps()) {
                var f = m.fmtp(map.payloadType());
                if (map.isEncoding("rtx") && f != null && Integer.toString(pt).equals(f.parameter("apt"))) {
                    return map.payloadType();
                }
            }
            return -1;
        }
        return -1;
    }
}
