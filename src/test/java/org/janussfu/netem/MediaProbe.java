package org.janussfu.netem;

import org.janussfu.rtp.RtpHeader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Stamped test media for the bad-network tests, in and out of a child JVM. Every payload starts with the sender's
 * {@code System.nanoTime()} (CLOCK_MONOTONIC: one clock for every process and namespace of the machine) and a
 * per-kind counter, so a receiver counts unique packets and one-way latency whatever SSRCs and sequence numbers the
 * SFU rewrites. {@link Sender} paces audio (50 pps) and video (1200-byte packets at a bitrate) on its own thread;
 * {@link Receiver} taps a client peer's RTP, detects gaps in the video sequence it receives and, when enabled,
 * asks for them with generic NACKs (RFC 4585 §6.2.1) until an RTX packet (RFC 4588 §4: OSN in front of the
 * payload) or the original fills them. Receiver methods synchronise on the receiver: the peer's context feeds it,
 * the NACK timer and the test thread read it.
 */
public final class MediaProbe {
    static final int AUDIO = 0;
    static final int VIDEO = 1;

    private MediaProbe() {
    }

    /** An RTP packet (RFC 3550 §5.1) whose payload starts with the send time and counter, with SRTP tailroom. */
    static byte[] packet(int pt, int seq, long ts, long ssrc, int payloadBytes, int counter) {
        byte[] b = new byte[12 + payloadBytes + 32];
        RtpHeader.write(b, 0, pt, seq, ts, ssrc);
        long now = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            b[12 + i] = (byte) (now >>> (56 - 8 * i));
        }
        b[20] = (byte) (counter >>> 24);
        b[21] = (byte) (counter >>> 16);
        b[22] = (byte) (counter >>> 8);
        b[23] = (byte) counter;
        return b;
    }

    /** Paced stamped audio + video from one publisher; {@code send} gets (packet, length) on the sender thread. */
    public static final class Sender implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "media-probe-sender");
            t.setDaemon(true);
            return t;
        });
        /** Packets this sender sent (from {@link #start}). */
        public volatile int audioSent;
        volatile int videoSent;
        private double videoCredit;
        private int seqA;
        private int seqV;
        private int nA;
        private int nV;
        /** The first counter of this sender: counters below it belong to an earlier sender of the stream. */
        final int start;

        public Sender(BiConsumer<byte[], Integer> send, int audioPt, int videoPt, int videoKbps, long audioSsrc, long videoSsrc) {
            this(send, audioPt, videoPt, videoKbps, audioSsrc, videoSsrc, 0);
        }

        /**
         * As above, continuing a stream that an earlier sender of the same SSRCs left at packet {@code start} of each
         * kind (sequence numbers, timestamps and counters go on from there, as one publisher's would).
         */
        public Sender(BiConsumer<byte[], Integer> send, int audioPt, int videoPt, int videoKbps, long audioSsrc, long videoSsrc,
               int start) {
            this.start = start;
            seqA = start;
            seqV = start;
            nA = start;
            nV = start;
            double bytesPerTick = videoKbps * 1000.0 / 8 * 0.020;
            timer.scheduleAtFixedRate(() -> {
                try {
                    if (audioPt >= 0) {
                        int n = nA++;
                        send.accept(packet(audioPt, seqA++ & 0xffff, 960L * n, audioSsrc, 100, n), 112);
                        audioSent++;
                    }
                    if (videoPt >= 0 && videoKbps > 0) {
                        videoCredit += bytesPerTick;
                        while (videoCredit >= 1200) {
                            videoCredit -= 1200;
                            int n = nV++;
                            send.accept(packet(videoPt, seqV++ & 0xffff, 3000L * (n / 4), videoSsrc, 1188, n), 1200);
                            videoSent++;
                        }
                    }
                } catch (RuntimeException e) {
                    // the peer went away: stop quietly, the test sees the counts
                    timer.shutdown();
                }
            }, 20, 20, TimeUnit.MILLISECONDS);
        }

        /** Where a sender continuing this stream starts (past both kinds' last packet). */
        int next() {
            return Math.max(nA, nV) + 1;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /** What one client peer received, and its NACK loop for video. */
    public static final class Receiver implements AutoCloseable {
        private final int audioPt;
        private final int videoPt;
        private final BitSet[] got = {new BitSet(), new BitSet()};
        private final int[] packets = new int[2];
        private final int[] duplicates = new int[2];
        private final List<List<Long>> latencyMicros = List.of(new ArrayList<>(), new ArrayList<>());
        private final long startedAt = System.nanoTime();
        /** Video sequence numbers (as this receiver sees them) missing: seq → {first seen, last NACK, tries}. */
        private final Map<Integer, long[]> missing = new LinkedHashMap<>();
        private int highest = -1;
        private long videoSsrc = -1;
        int missingEver;
        int recoveredByRtx;
        int recoveredLate;
        int rtxPackets;
        int nacksSent;
        int nackItemsSent;
        int gaveUp;
        private volatile boolean nackOn;
        private BiConsumer<byte[], Integer> rtcpOut;
        private ScheduledExecutorService timer;

        public Receiver(int audioPt, int videoPt) {
            this.audioPt = audioPt;
            this.videoPt = videoPt;
        }

        /** Starts NACKing gaps older than {@code waitMs}, each at most 5 times, through {@code rtcpOut}. */
        synchronized void enableNack(BiConsumer<byte[], Integer> rtcpOut, int waitMs) {
            this.rtcpOut = rtcpOut;
            nackOn = true;
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "media-probe-nack");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> nackDue(waitMs), 20, 20, TimeUnit.MILLISECONDS);
        }

        public synchronized void accept(byte[] p) {
            int pt = RtpHeader.payloadType(p, 0);
            int off = payloadOffset(p);
            if (pt == audioPt || pt == videoPt) {
                int kind = pt == audioPt ? AUDIO : VIDEO;
                record(kind, p, off);
                if (kind == VIDEO) {
                    if (videoSsrc < 0) {
                        videoSsrc = RtpHeader.ssrc(p, 0);
                    }
                    sequence(RtpHeader.sequence(p, 0));
                }
            } else if (off + 2 + 24 <= p.length) {
                // RTX (RFC 4588 §4): the original sequence number, then the original payload
                rtxPackets++;
                int osn = (p[off] & 0xff) << 8 | (p[off + 1] & 0xff);
                if (missing.remove(osn) != null) {
                    recoveredByRtx++;
                }
                record(VIDEO, p, off + 2);
            }
        }

        private void record(int kind, byte[] p, int off) {
            if (off + 12 > p.length) {
                return;
            }
            long sent = 0;
            for (int i = 0; i < 8; i++) {
                sent = sent << 8 | (p[off + i] & 0xff);
            }
            int counter = (p[off + 8] & 0xff) << 24 | (p[off + 9] & 0xff) << 16 | (p[off + 10] & 0xff) << 8 | (p[off + 11] & 0xff);
            packets[kind]++;
            if (counter < 0 || counter > 10_000_000) {
                return;
            }
            if (got[kind].get(counter)) {
                duplicates[kind]++;
                return;
            }
            got[kind].set(counter);
            latencyMicros.get(kind).add((System.nanoTime() - sent) / 1000);
        }

        private void sequence(int seq) {
            if (highest < 0) {
                highest = seq;
                return;
            }
            int ahead = (seq - highest) & 0xffff;
            if (ahead == 0) {
                return;
            }
            if (ahead < 0x8000) {
                long now = System.nanoTime();
                for (int s = (highest + 1) & 0xffff; s != seq; s = (s + 1) & 0xffff) {
                    missing.put(s, new long[]{now, 0, 0});
                    missingEver++;
                }
                highest = seq;
            } else if (missing.remove(seq) != null) {
                recoveredLate++;
            }
        }

        private synchronized void nackDue(int waitMs) {
            if (!nackOn || missing.isEmpty() || videoSsrc < 0) {
                return;
            }
            long now = System.nanoTime();
            List<Integer> ask = new ArrayList<>();
            var it = missing.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                long[] m = e.getValue();
                if (m[2] >= 5) {
                    it.remove();
                    gaveUp++;
                } else if (now - Math.max(m[0], m[1]) >= waitMs * 1_000_000L || (m[1] == 0 && now - m[0] >= 5_000_000L)) {
                    m[1] = now;
                    m[2]++;
                    ask.add(e.getKey());
                }
            }
            if (ask.isEmpty()) {
                return;
            }
            // RFC 4585 §6.2.1: one FCI per sequence number (PID, BLP 0): simple and always valid
            int items = Math.min(ask.size(), 64);
            byte[] b = new byte[12 + 4 * items + 64];
            b[0] = (byte) 0x81;
            b[1] = (byte) 205;
            int words = 2 + items;
            b[2] = (byte) (words >>> 8);
            b[3] = (byte) words;
            b[7] = 1;
            b[8] = (byte) (videoSsrc >>> 24);
            b[9] = (byte) (videoSsrc >>> 16);
            b[10] = (byte) (videoSsrc >>> 8);
            b[11] = (byte) videoSsrc;
            for (int i = 0; i < items; i++) {
                int s = ask.get(i);
                b[12 + 4 * i] = (byte) (s >>> 8);
                b[13 + 4 * i] = (byte) s;
            }
            nacksSent++;
            nackItemsSent += items;
            BiConsumer<byte[], Integer> out = rtcpOut;
            // send outside the peer's context wait: the timer thread may block briefly on the peer's context
            timer.execute(() -> out.accept(b, 12 + 4 * items));
        }

        static int payloadOffset(byte[] p) {
            int off = 12 + 4 * (p[0] & 0x0f);
            if ((p[0] & 0x10) != 0 && off + 4 <= p.length) {
                off += 4 + 4 * ((p[off + 2] & 0xff) << 8 | (p[off + 3] & 0xff));
            }
            return off;
        }

        /** Unique packets of a kind, p50/p99/max one-way latency (ms), and the NACK/RTX counts, as a map. */
        public synchronized Map<String, Object> stats() {
            Map<String, Object> o = new HashMap<>();
            for (int k = 0; k < 2; k++) {
                String name = k == AUDIO ? "audio" : "video";
                long[] l = latencyMicros.get(k).stream().mapToLong(Long::longValue).sorted().toArray();
                o.put(name + "_unique", got[k].cardinality());
                o.put(name + "_packets", packets[k]);
                o.put(name + "_duplicates", duplicates[k]);
                o.put(name + "_p50_ms", l.length == 0 ? -1 : l[l.length / 2] / 1000.0);
                o.put(name + "_p99_ms", l.length == 0 ? -1 : l[(int) Math.min(l.length - 1, Math.floor(l.length * 0.99))] / 1000.0);
                o.put(name + "_max_ms", l.length == 0 ? -1 : l[l.length - 1] / 1000.0);
            }
            o.put("missing_ever", missingEver);
            o.put("missing_now", missing.size());
            o.put("recovered_rtx", recoveredByRtx);
            o.put("recovered_late", recoveredLate);
            o.put("rtx_packets", rtxPackets);
            o.put("nacks_sent", nacksSent);
            o.put("nack_items_sent", nackItemsSent);
            o.put("gave_up", gaveUp);
            o.put("seconds", (System.nanoTime() - startedAt) / 1e9);
            return o;
        }

        @Override
        public synchronized void close() {
            nackOn = false;
            if (timer != null) {
                timer.shutdownNow();
            }
        }

        @Override
        public String toString() {
            return Arrays.toString(packets) + " " + stats();
        }
    }
}
