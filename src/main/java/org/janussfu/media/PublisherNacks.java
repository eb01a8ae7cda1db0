package org.janussfu.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.janussfu.rtp.NackGenerator;
import org.janussfu.rtp.RtcpFeedback;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.rtp.RtxPacket;
import org.janussfu.sdp.Fmtp;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.RtpMap;
import org.janussfu.sdp.SessionDescription;

/**
 * Loss repair on a publisher's video uplink, as Janus core does for the streams it receives: when our answer to the
 * publisher kept {@code a=rtcp-fb:<pt> nack} (RFC 4585 §4.2), its video is followed by a {@link NackGenerator} and
 * what goes missing is asked for with Generic NACKs (RFC 4585 §6.2.1) towards the publisher's media SSRC — from
 * the receive path when a request is due, and from a one-shot timer armed while anything is outstanding; a resync
 * or an overflow of the missing list asks for a keyframe (through {@link LegRtcp}'s rate limit). Packets on the RTX
 * payload type our answer accepted ({@code apt=}, RFC 4588 §8) are unwrapped back into the original (OSN, payload
 * type, the tracked media SSRC; RFC 4588 §4) when they fill a gap, and dropped otherwise (a duplicate, a probe, a
 * padding-only packet), as are originals received twice — so subscribers see one copy, in their own stream. The RTT
 * that spaces retries is measured on the leg itself (request → RTX answer): a receive-only publisher leg has no
 * stream of ours the publisher could report on with LSR/DLSR. Part of its {@link MediaLeg}, which owns it, with the
 * leg's two owners: the session context writes the payload type tables ({@link #learn}, racy bytes read per packet,
 * as the leg's own payload kinds); the connection's media context owns the rest and runs {@link #receive}, the timer and {@link #stats} reads (racy, for metrics only). One
 * preallocated RTCP array and sequence batch; nothing allocated, logged or thrown per packet.
 */
final class PublisherNacks {
    /** Sequence numbers one NACK packet asks for at most (it then has at most that many FCI entries). */
    static final int BATCH = 64;
    /** NACK packets one poll may send: bounded even with {@link NackGenerator#MAX_OUTSTANDING} due at once. */
    private static final int MAX_PACKETS_PER_POLL = 1 + NackGenerator.MAX_OUTSTANDING / BATCH;

    private final Vertx vertx;
    private final MediaCounters counters;
    private final LegRtcp rtcp;
    private final long senderSsrc;
    /** Per payload type: 1 when it is the video PT and NACK was negotiated for it. Session writes, media reads. */
    private final byte[] nackPt = new byte[128];
    /** Per payload type: the associated PT + 1 when it is the accepted RTX PT, else 0. Session writes, media reads. */
    private final byte[] rtxApt = new byte[128];
    private volatile boolean enabled;
    // ---- media context only ----
    private final NackGenerator gen = new NackGenerator();
    private final int[] batch = new int[BATCH];
    private final byte[] scratch = new byte[RtcpFeedback.nackLength(BATCH) + 64]; // + SRTCP tag and index
    private final Handler<Long> timerTask = id -> onTimer();
    private MediaTransport pc;
    private long ssrc = -1;
    private boolean timerArmed;
    private long seenGaveUp;
    private long nacksSent;
    private long rtxDiscarded;

    PublisherNacks(LegServices services, LegRtcp rtcp, long senderSsrc) {
        this.vertx = services.vertx();
        this.counters = services.counters();
        this.rtcp = rtcp;
        this.senderSsrc = senderSsrc;
    }

    /**
     * Session context: what our answer to the publisher's offer accepted on its (first, not rejected) video m-line —
     * the PTs with {@code nack} feedback (a bare {@code nack}; {@code nack pli} is a different feedback) and the RTX
     * PT with its {@code apt}. Replaces what an earlier answer said.
     */
    void learn(SessionDescription answer) {
        java.util.Arrays.fill(nackPt, (byte) 0);
        java.util.Arrays.fill(rtxApt, (byte) 0);
        boolean any = false;
        for (MediaDescription m : answer.media()) {
            if (m.kind() != MediaKind.VIDEO || m.isRejected()) {
                continue;
            }
            for (String f : m.formats()) {
                int pt = payloadType(f);
                if (pt < 0) {
                    continue;
                }
                RtpMap map = m.rtpMap(pt);
                Fmtp fmtp = m.fmtp(pt);
                if (map != null && map.isEncoding("rtx")) {
                    int apt = fmtp == null ? -1 : payloadType(fmtp.parameter("apt"));
                    if (apt >= 0) {
                        rtxApt[pt] = (byte) (apt + 1);
                        any = true;
                    }
                } else if (m.rtcpFeedback(pt).stream().anyMatch(fb -> "nack".equalsIgnoreCase(fb.type())
                        && fb.parameter() == null)) {
                    nackPt[pt] = 1;
                    any = true;
                }
            }
            break;
        }
        enabled = any;
    }

    private static int payloadType(String s) {
        try {
            int pt = s == null ? -1 : Integer.parseInt(s.strip());
            return pt >= 0 && pt < 128 ? pt : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Media context: the connection NACKs go out on, or null (then the stream is forgotten). */
    void attach(MediaTransport connection) {
        pc = connection;
        if (connection == null) {
            gen.reset();
            ssrc = -1;
            syncGaveUp();
        }
    }

    /**
     * Media context, for each video packet of the leg before anything else sees it: returns the length to deliver
     * (an RTX packet that fills a gap comes back unwrapped in place, two bytes shorter), or -1 to drop it.
     */
    int receive(byte[] buf, int off, int len, long now) {
        if (!enabled) {
            return len;
        }
        int pt = RtpHeader.payloadType(buf, off);
        int apt = rtxApt[pt] - 1;
        if (apt >= 0) {
            return retransmission(buf, off, len, apt, now);
        }
        if (nackPt[pt] == 0) {
            return len;
        }
        long packetSsrc = RtpHeader.ssrc(buf, off);
        if (packetSsrc != ssrc) {
            gen.reset(); // a new source (renegotiation, restart): what the old one missed is given up
            ssrc = packetSsrc;
        }
        int verdict = gen.onPacket(RtpHeader.sequence(buf, off), now);
        afterChange(now);
        if (verdict == NackGenerator.DUPLICATE) {
            counters.publisherDuplicatesDropped.increment();
            return -1;
        }
        return len;
    }

    private int retransmission(byte[] buf, int off, int len, int apt, long now) {
        int osn = ssrc < 0 ? -1 : RtxPacket.originalSequence(buf, off, len);
        if (osn < 0 || !gen.onRetransmission(osn, now)) {
            rtxDiscarded++;
            counters.publisherRtxDiscarded.increment();
            return -1;
        }
        counters.publisherRtxRecovered.increment();
        afterChange(now);
        return RtxPacket.unwrap(buf, off, len, apt, ssrc);
    }

    /** After the generator moved: counters, a keyframe if it resynced, due NACKs, the timer. */
    private void afterChange(long now) {
        if (gen.takeKeyframeWanted()) {
            rtcp.requestKeyframe(false);
        }
        if (now - gen.nextDueNanos() >= 0) {
            flush(now);
        }
        syncGaveUp();
        armTimer(now);
    }

    /** Sends every NACK due at {@code now} (a bounded number of packets). */
    private void flush(long now) {
        MediaTransport c = pc;
        if (c == null || ssrc < 0) {
            return;
        }
        for (int i = 0; i < MAX_PACKETS_PER_POLL; i++) {
            int n = gen.poll(now, batch);
            if (n == 0) {
                return;
            }
            int len = RtcpFeedback.writeNack(scratch, 0, senderSsrc, ssrc, batch, n);
            if (c.sendRtcp(scratch, 0, len)) {
                nacksSent++;
                counters.publisherNacksSent.increment();
            }
            counters.publisherNackRequests.add(n);
            if (n < BATCH) {
                return;
            }
        }
    }

    private void armTimer(long now) {
        if (timerArmed || pc == null || gen.outstanding() == 0) {
            return;
        }
        long wait = gen.nextDueNanos() - now;
        long ms = Math.max(1, Math.min(1000, (wait + 999_999) / 1_000_000));
        timerArmed = true;
        vertx.setTimer(ms, timerTask); // the media context: this runs on it (see the class comment)
    }

    private void onTimer() {
        timerArmed = false;
        if (pc == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - gen.nextDueNanos() >= 0) {
            flush(now);
            syncGaveUp();
        }
        armTimer(now);
    }

    private void syncGaveUp() {
        long g = gen.gaveUp();
        if (g != seenGaveUp) {
            counters.publisherNackGaveUp.add(g - seenGaveUp);
            seenGaveUp = g;
        }
    }

    /** This leg's repair counters into {@code n} (racy reads from the session, for metrics and tests). */
    void stats(ObjectNode n) {
        n.put("nacks_sent", nacksSent);
        n.put("nack_requests", gen.requested());
        n.put("rtx_recovered", gen.recovered());
        n.put("nack_filled_late", gen.filledLate());
        n.put("nack_gave_up", gen.gaveUp());
        n.put("duplicates_dropped", gen.duplicates());
        n.put("rtx_discarded", rtxDiscarded);
        n.put("nack_resyncs", gen.resyncs());
        long rtt = gen.rttNanos();
        n.put("rtt_ms", rtt < 0 ? -1 : rtt / 1_000_000.0);
    }
}
