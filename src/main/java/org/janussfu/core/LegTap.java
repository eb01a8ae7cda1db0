package org.janussfu.core;

import org.janussfu.rtp.RtcpReports;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.webrtc.PacketTap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-handle media statistics for {@code handle_info}, taken from every packet of the handle's PeerConnection in the
 * clear ({@link PacketTap}): RTP packets and bytes per medium and direction, RTX packets sent, and what the RTCP
 * carries — NACKs (RFC 4585 §6.2.1), PLIs (§6.3.1) and FIRs (RFC 5104 §4.3.1) received and sent, and from the peer's
 * receiver report blocks about our streams (RFC 3550 §6.4.1) its cumulative loss, jitter and the round-trip time
 * {@code A - LSR - DLSR} (§6.4.1). It also passes each packet to the handle's capture, if one runs. Written only on
 * the connection's media context (single writer: {@code lazySet} on an atomic array, no lock, no allocation), read
 * on the session context by {@code handle_info} with volatile reads.
 */
final class LegTap implements PacketTap {
    static final int AUDIO = 0;
    static final int VIDEO = 1;
    // Per-medium counter slots (index = medium * SLOTS + slot).
    static final int IN_PACKETS = 0;
    static final int IN_BYTES = 1;
    static final int OUT_PACKETS = 2;
    static final int OUT_BYTES = 3;
    static final int OUT_RTX = 4;
    static final int NACKS_RECEIVED = 5;
    static final int NACKS_SENT = 6;
    static final int PLIS_RECEIVED = 7;
    static final int PLIS_SENT = 8;
    static final int FIRS_RECEIVED = 9;
    static final int FIRS_SENT = 10;
    static final int REMOTE_LOST = 11;
    static final int REMOTE_JITTER = 12;
    static final int REMOTE_FRACTION = 13;
    /** Round-trip time in ms from the peer's latest report block, or -1 until one referenced our SR. */
    static final int RTT_MS = 14;
    static final int REPORTS = 15;
    private static final int SLOTS = 16;

    private final AtomicLongArray c = new AtomicLongArray(2 * SLOTS);
    private final byte[] payloadKinds;
    private final long audioSsrc;
    private final long videoSsrc;
    private final long rtxSsrc;
    /** The peer's latest RTP SSRC per medium (media context), to attribute the feedback we send. */
    private long peerAudioSsrc = -1;
    /** The capture of this handle while one runs (session context writes, media context reads). */
    volatile PacketTap capture;

    /** @param payloadKinds the handle's payload type to medium map ({@code MediaLeg.payloadKinds()}: 2 = video) */
    LegTap(byte[] payloadKinds, long audioSsrc, long videoSsrc, long rtxSsrc) {
        this.payloadKinds = payloadKinds;
        this.audioSsrc = audioSsrc;
        this.videoSsrc = videoSsrc;
        this.rtxSsrc = rtxSsrc;
        c.set(AUDIO * SLOTS + RTT_MS, -1);
        c.set(VIDEO * SLOTS + RTT_MS, -1);
    }

    /** A counter of one medium (any thread: a volatile read). */
    long get(int medium, int slot) {
        return c.get(medium * SLOTS + slot);
    }

    private void add(int medium, int slot, long n) {
        int i = medium * SLOTS + slot;
        c.lazySet(i, c.get(i) + n);
    }

    private void set(int medium, int slot, long v) {
        c.lazySet(medium * SLOTS + slot, v);
    }

    @Override
    public void onPacket(boolean outgoing, boolean rtcp, byte[] buf, int off, int len) {
        if (rtcp) {
            rtcp(outgoing, buf, off, len);
        } else if (len >= RtpHeader.MIN_LENGTH) {
            long ssrc = RtpHeader.ssrc(buf, off);
            if (outgoing) {
                boolean rtx = ssrc == rtxSsrc;
                int m = rtx || ssrc == videoSsrc ? VIDEO : AUDIO;
                add(m, OUT_PACKETS, 1);
                add(m, OUT_BYTES, len);
                if (rtx) {
                    add(m, OUT_RTX, 1);
                }
            } else {
                int m = payloadKinds[RtpHeader.payloadType(buf, off)] == 2 ? VIDEO : AUDIO;
                if (m == AUDIO) {
                    peerAudioSsrc = ssrc;
                }
                add(m, IN_PACKETS, 1);
                add(m, IN_BYTES, len);
            }
        }
        PacketTap t = capture;
        if (t != null) {
            t.onPacket(outgoing, rtcp, buf, off, len);
        }
    }

    /** Walks a compound RTCP packet (RFC 3550 §6.1); a malformed one ends the walk. */
    private void rtcp(boolean outgoing, byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        while (p + 4 <= end) {
            int v = b[p] & 0xff;
            if ((v >> 6) != 2) {
                return;
            }
            int count = v & 0x1f;
            int pt = b[p + 1] & 0xff;
            int size = (((b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff)) + 1) * 4;
            if (p + size > end) {
                return;
            }
            if (pt == 205 && count == 1 && size >= 16) {
                add(medium(outgoing, u32(b, p + 8)), outgoing ? NACKS_SENT : NACKS_RECEIVED, 1);
            } else if (pt == 206 && count == 1 && size >= 12) {
                add(medium(outgoing, u32(b, p + 8)), outgoing ? PLIS_SENT : PLIS_RECEIVED, 1);
            } else if (pt == 206 && count == 4 && size >= 20) {
                add(medium(outgoing, u32(b, p + 12)), outgoing ? FIRS_SENT : FIRS_RECEIVED, 1);
            } else if (!outgoing && (pt == 200 || pt == 201)) {
                int blocks = p + (pt == 200 ? 28 : 8);
                for (int i = 0; i < count && blocks + 24 <= p + size; i++, blocks += 24) {
                    reportBlock(b, blocks);
                }
            }
            p += size;
        }
    }

    /** A report block (RFC 3550 §6.4.1) the peer sent about one of our streams. */
    private void reportBlock(byte[] b, int o) {
        long source = u32(b, o);
        int m = source == audioSsrc ? AUDIO : source == videoSsrc ? VIDEO : -1;
        if (m < 0) {
            return;
        }
        set(m, REMOTE_FRACTION, b[o + 4] & 0xff);
        int lost = (b[o + 5] & 0xff) << 16 | (b[o + 6] & 0xff) << 8 | (b[o + 7] & 0xff);
        set(m, REMOTE_LOST, (lost << 8) >> 8); // 24-bit signed
        set(m, REMOTE_JITTER, u32(b, o + 12));
        add(m, REPORTS, 1);
        long lsr = u32(b, o + 16);
        long dlsr = u32(b, o + 20);
        if (lsr != 0) {
            long now = (RtcpReports.ntp(System.currentTimeMillis()) >>> 16) & 0xffffffffL;
            long rtt = (now - lsr - dlsr) & 0xffffffffL; // 1/65536 s
            if (rtt < 0x80000000L) {
                set(m, RTT_MS, rtt * 1000 / 65536);
            }
        }
    }

    /** The medium feedback is about: ours (incoming feedback) or the peer's (outgoing); video unless audio's. */
    private int medium(boolean outgoing, long mediaSsrc) {
        return (outgoing ? mediaSsrc == peerAudioSsrc : mediaSsrc == audioSsrc) ? AUDIO : VIDEO;
    }

    private static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }
}
