package org.janussfu.media;

import org.janussfu.rtp.InboundStream;
import org.janussfu.rtp.OutboundStream;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.rtp.RtxPacket;
import org.janussfu.rtp.RtcpFeedback;
import org.janussfu.rtp.RtcpReports;

/**
 * The RTCP the core generates and answers on one {@link MediaLeg} (one handle's connection), as Janus core does
 * around its plugins: sender reports for the streams the handle sends and receiver reports for those it receives, once a second
 * (RFC 3550 §6.4), with LSR/DLSR from the peer's own SRs; NACKs answered from the video ring (RFC 4585 §6.2.1); and
 * keyframe requests (PLI, RFC 4585 §6.3.1; FIR, RFC 5104 §4.3.1) to a publisher, at most one per
 * {@link #KEYFRAME_REQUEST_INTERVAL_NANOS}. Part of its {@link MediaLeg}, which owns it; it runs only on the
 * connection's media context (decision 0013: the engine's media loop for server connections), where its timer, the
 * peer's RTCP and keyframe requests run, and it sends on the leg's {@link MediaTransport}. One scratch array, no
 * allocation.
 */
final class LegRtcp {
    /** Keyframe requests to one publisher closer than this are dropped (counted): a room of subscribers joining at
     * once must not make the publisher send a keyframe per subscriber. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 500_000_000L;
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

    private final MediaLeg leg;
    private final MediaCounters counters;
    private final PacketPool pool;
    private final LegSettings settings;
    private final InboundStream audioIn;
    private final InboundStream videoIn;
    private final OutboundStream audioOut;
    private final OutboundStream videoOut;
    private final long reporterSsrc;
    private final byte[] scratch = new byte[128];
    private final RtcpReports.NackSink nacks = this::retransmit;
    private final long rtxSsrc;
    private MediaTransport pc;
    private int firSequence;
    private long lastKeyframeRequestNanos;
    private long lastReportNanos;
    private long audioLsr = -1;
    private long audioLsrAt;
    private long videoLsr = -1;
    private long videoLsrAt;
    private int rtxSequence = java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16);

    LegRtcp(MediaLeg leg, LegServices services, InboundStream audioIn, InboundStream videoIn, OutboundStream audioOut,
            OutboundStream videoOut, long reporterSsrc, long rtxSsrc) {
        this.leg = leg;
        this.counters = services.counters();
        this.pool = services.pool();
        this.settings = services.settings();
        this.audioIn = audioIn;
        this.videoIn = videoIn;
        this.audioOut = audioOut;
        this.videoOut = videoOut;
        this.reporterSsrc = reporterSsrc;
        this.rtxSsrc = rtxSsrc;
    }

    /** The connection RTCP goes out on (null while there is none). */
    void attach(MediaTransport connection) {
        this.pc = connection;
    }

    /** The peer's RTCP: answer its NACKs, remember its SRs for our RRs. */
    void onRtcp(byte[] buf, int off, int len) {
        RtcpReports.forEachNack(buf, off, len, nacks);
        long now = System.nanoTime();
        if (audioIn.started()) {
            long lsr = RtcpReports.senderReportNtpMiddle(buf, off, len, audioIn.ssrc());
            if (lsr >= 0) {
                audioLsr = lsr;
                audioLsrAt = now;
            }
        }
        if (videoIn.started()) {
            long lsr = RtcpReports.senderReportNtpMiddle(buf, off, len, videoIn.ssrc());
            if (lsr >= 0) {
                videoLsr = lsr;
                videoLsrAt = now;
            }
        }
    }

    /**
     * Resends a kept video packet the subscriber lost; the packet stays in the ring. With RTX negotiated the ring
     * holds plaintext and the resend is an RTX packet (RFC 4588 §4) on our RTX SSRC; otherwise the ring holds the
     * protected packet, sent again as it was.
     */
    private void retransmit(long mediaSsrc, int seq) {
        if (pc == null || mediaSsrc != videoOut.ssrc()) {
            return;
        }
        PooledPacket p = videoOut.find(seq, System.nanoTime(), settings.nackQueueNanos());
        if (p == null) {
            counters.nackMisses.increment();
            return;
        }
        counters.retransmissions.increment();
        int rtxPt = leg.rtxPayloadType;
        if (rtxPt < 0) {
            pc.resend(p.buffer(), p.offset(), p.length());
            return;
        }
        PooledPacket rtx = pool.acquire();
        int n = RtxPacket.write(p.buffer(), p.offset(), p.length(), rtx.ownArray(), 0, rtxPt, rtxSsrc,
                rtxSequence);
        if (n > 0 && n + PooledPacket.TAILROOM <= rtx.ownArray().length) {
            rtxSequence = (rtxSequence + 1) & 0xffff;
            pc.sendRtp(rtx.buffer(), 0, n);
        }
        rtx.release();
    }

    /** Called by the media timer: an SR per stream we send and an RR per stream we receive, once a second. */
    void reportIfDue(long now) {
        if (pc == null || now - lastReportNanos < REPORT_INTERVAL_NANOS) {
            return;
        }
        lastReportNanos = now;
        long ntp = RtcpReports.ntp(System.currentTimeMillis());
        senderReport(audioOut, ntp, now);
        senderReport(videoOut, ntp, now);
        receiverReport(audioIn, audioLsr, audioLsrAt, now);
        receiverReport(videoIn, videoLsr, videoLsrAt, now);
    }

    private void senderReport(OutboundStream out, long ntp, long now) {
        if (out.started()) {
            int n = RtcpReports.writeSenderReport(scratch, 0, out.ssrc(), ntp, out.rtpTimestampAt(now), out.packets(),
                    out.octets());
            pc.sendRtcp(scratch, 0, n);
        }
    }

    private void receiverReport(InboundStream in, long lsr, long lsrAt, long now) {
        if (in.started()) {
            long dlsr = lsr < 0 ? 0 : ((now - lsrAt) / 1000) * 65536 / 1_000_000;
            int n = RtcpReports.writeReceiverReport(scratch, 0, reporterSsrc, in, lsr < 0 ? 0 : lsr, dlsr);
            pc.sendRtcp(scratch, 0, n);
        }
    }

    /** Asks the peer (a publisher) for a keyframe of its video: PLI, or FIR with its own sequence number. */
    void requestKeyframe(boolean fir) {
        if (pc == null || !videoIn.started()) {
            counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        long now = System.nanoTime();
        if (lastKeyframeRequestNanos != 0 && now - lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
            counters.keyframeRequestsThrottled.increment();
            return;
        }
        lastKeyframeRequestNanos = now;
        counters.keyframeRequestsSent.increment();
        int n = fir ? RtcpFeedback.writeFir(scratch, 0, reporterSsrc, videoIn.ssrc(), firSequence++)
                : RtcpFeedback.writePli(scratch, 0, reporterSsrc, videoIn.ssrc());
        pc.sendRtcp(scratch, 0, n);
    }
}
