package org.janussfu.rtp;

/**
 * Writes and reads the RTCP the SFU generates per leg: sender reports with an SDES CNAME for the streams it sends
 * (RFC 3550 §6.4.1, §6.5.1), receiver reports for the streams it receives (§6.4.2), the NTP-derived fields of a
 * publisher's SR used for LSR/DLSR, and the lost packets listed in generic NACKs (RFC 4585 §6.2.1). Writes into
 * caller-owned arrays (which need SRTCP tailroom); stateless, allocation-free, exception-free, any thread.
 */
public final class RtcpReports {
    public static final int SR_LENGTH = 28;
    public static final int RR_LENGTH = 32;
    private static final long NTP_EPOCH_OFFSET_SECONDS = 2_208_988_800L;
    private static final byte[] CNAME = {'j', 'a', 'n', 'u', 's'};

    /** Receives the sequence numbers a NACK asks for. */
    public interface NackSink {
        void lost(long mediaSsrc, int seq);
    }

    private RtcpReports() {
    }

    /** The 64-bit NTP timestamp (RFC 5905 §6) of a wall-clock time in milliseconds. */
    public static long ntp(long epochMillis) {
        long seconds = epochMillis / 1000 + NTP_EPOCH_OFFSET_SECONDS;
        long fraction = ((epochMillis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** Writes an SR without report blocks followed by an SDES with CNAME "janus"; returns the compound's length. */
    public static int writeSenderReport(byte[] b, int off, long ssrc, long ntp, long rtpTimestamp, long packets,
                                        long octets) {
        b[off] = (byte) 0x80;          // V=2, RC=0
        b[off + 1] = (byte) 200;       // SR
        b[off + 2] = 0;
        b[off + 3] = 6;                // 7 words
        RtcpFeedback.putInt(b, off + 4, ssrc);
        RtcpFeedback.putInt(b, off + 8, ntp >>> 32);
        RtcpFeedback.putInt(b, off + 12, ntp);
        RtcpFeedback.putInt(b, off + 16, rtpTimestamp);
        RtcpFeedback.putInt(b, off + 20, packets);
        RtcpFeedback.putInt(b, off + 24, octets);
        return SR_LENGTH + writeSdes(b, off + SR_LENGTH, ssrc);
    }

    /** SDES with one chunk: SSRC, CNAME item, end item, padded to 32 bits (RFC 3550 §6.5). */
    static int writeSdes(byte[] b, int off, long ssrc) {
        int itemsLen = 2 + CNAME.length + 1;              // type, length, text, end
        int chunk = 4 + ((itemsLen + 3) & ~3);
        b[off] = (byte) 0x81;                              // V=2, SC=1
        b[off + 1] = (byte) 202;                           // SDES
        int words = (4 + chunk) / 4 - 1;
        b[off + 2] = (byte) (words >>> 8);
        b[off + 3] = (byte) words;
        RtcpFeedback.putInt(b, off + 4, ssrc);
        int p = off + 8;
        b[p++] = 1;                                        // CNAME
        b[p++] = (byte) CNAME.length;
        System.arraycopy(CNAME, 0, b, p, CNAME.length);
        p += CNAME.length;
        int end = off + 4 + chunk;
        while (p < end) {
            b[p++] = 0;
        }
        return 4 + chunk;
    }

    /**
     * Writes an RR from {@code senderSsrc} with one report block about {@code stream} (RFC 3550 §6.4.2);
     * {@code lsr} is the middle 32 bits of the source's last SR NTP time, {@code dlsr} the delay since, in 1/65536 s.
     */
    public static int writeReceiverReport(byte[] b, int off, long senderSsrc, InboundStream stream, long lsr, long dlsr) {
        b[off] = (byte) 0x81;          // V=2, RC=1
        b[off + 1] = (byte) 201;       // RR
        b[off + 2] = 0;
        b[off + 3] = 7;                // 8 words
        RtcpFeedback.putInt(b, off + 4, senderSsrc);
        RtcpFeedback.putInt(b, off + 8, stream.ssrc());
        long lost = stream.cumulativeLost() & 0xffffff;
        RtcpFeedback.putInt(b, off + 12, ((long) stream.fractionLostSinceLastReport() << 24) | lost);
        RtcpFeedback.putInt(b, off + 16, stream.extendedHighestSequence());
        RtcpFeedback.putInt(b, off + 20, stream.jitter());
        RtcpFeedback.putInt(b, off + 24, lsr);
        RtcpFeedback.putInt(b, off + 28, dlsr);
        return RR_LENGTH;
    }

    /**
     * Finds the SR of {@code ssrc} in a compound packet and returns the middle 32 bits of its NTP timestamp (the LSR
     * of RFC 3550 §6.4.1), or -1.
     */
    public static long senderReportNtpMiddle(byte[] b, int off, int len, long ssrc) {
        int end = off + len;
        int p = off;
        while (p + 4 <= end) {
            if ((b[p] & 0xc0) != 0x80) {
                return -1;
            }
            int size = ((((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff)) + 1) * 4;
            if (p + size > end) {
                return -1;
            }
            if ((b[p + 1] & 0xff) == 200 && size >= SR_LENGTH && getInt(b, p + 4) == ssrc) {
                long msw = getInt(b, p + 8);
                long lsw = getInt(b, p + 12);
                return ((msw & 0xffff) << 16) | (lsw >>> 16);
            }
            p += size;
        }
        return -1;
    }

    static long getInt(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** Calls {@code sink} for every sequence number the generic NACKs (PT 205, FMT 1) in a compound packet ask for. */
    public static void forEachNack(byte[] b, int off, int len, NackSink sink) {
        int end = off + len;
        int p = off;
        while (p + 4 <= end) {
            if ((b[p] & 0xc0) != 0x80) {
                return;
            }
            int size = ((((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff)) + 1) * 4;
            if (p + size > end) {
                return;
            }
            if ((b[p + 1] & 0xff) == 205 && (b[p] & 0x1f) == 1 && size >= 16) {
                long media = getInt(b, p + 8);
                for (int q = p + 12; q + 4 <= p + size; q += 4) {
                    int pid = ((b[q] & 0xff) << 8) | (b[q + 1] & 0xff);
                    int blp = ((b[q + 2] & 0xff) << 8) | (b[q + 3] & 0xff);
                    sink.lost(media, pid);
                    for (int bit = 0; bit < 16; bit++) {
                        if ((blp & (1 << bit)) != 0) {
                            sink.lost(media, (pid + bit + 1) & 0xffff);
                        }
                    }
                }
            }
            p += size;
        }
    }
}
