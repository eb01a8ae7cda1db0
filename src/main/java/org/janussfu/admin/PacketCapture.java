package org.janussfu.admin;

import org.janussfu.core.Capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One running packet capture of a handle ({@code start_pcap} / {@code start_text2pcap}). The media loop calls
 * {@link #onPacket} for every RTP/RTCP packet of the handle in the clear: it only copies the packet (up to
 * {@code truncate} bytes) into the preallocated {@link CaptureRing} — no file I/O, no allocation, no lock; when the
 * ring is full the packet is dropped and counted. The capture writer thread ({@link CaptureFiles}) calls
 * {@link #drain} to encode records ({@link CaptureFormat}) into the file; past the file size cap packets are
 * dropped and counted too. {@link #stop} ends the capture; the writer then drains the rest, closes the file and
 * completes {@link #closed}. Producer: the connection's media context; consumer and file: the writer thread.
 */
final class PacketCapture implements Capture {
    private final boolean text;
    private final String file;
    private final FileChannel channel;
    private final int truncate;
    private final long maxBytes;
    private final CaptureRing ring;
    private final AdminCounters counters;
    private final byte[] suffix;
    private final ZoneId zone = ZoneId.systemDefault();
    private final long baseMicros = System.currentTimeMillis() * 1000;
    private final long baseNanos = System.nanoTime();
    // Writer thread only.
    private final CaptureRing.Record record = new CaptureRing.Record();
    private final ByteBuffer out = ByteBuffer.allocate(1 << 18);
    private long size;
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean stopped;
    private volatile boolean full;
    private final AtomicBoolean finished = new AtomicBoolean();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Runs on the writer thread once the file is closed, before {@link #closed} completes. */
    private final Runnable onClosed;

    PacketCapture(boolean text, String file, FileChannel channel, long size, int truncate, long maxBytes,
                  int ringBytes, AdminCounters counters, long sessionId, long handleId, Runnable onClosed) {
        this.onClosed = onClosed;
        this.text = text;
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.truncate = truncate;
        this.maxBytes = maxBytes;
        this.ring = new CaptureRing(ringBytes);
        this.counters = counters;
        this.suffix = ("[session=" + sessionId + "][handle=" + handleId + "]").getBytes(StandardCharsets.US_ASCII);
    }

    // ---- media context ----------------------------------------------------------------------------------------

    @Override
    public void onPacket(boolean outgoing, boolean rtcp, byte[] buf, int off, int len) {
        if (stopped) {
            return;
        }
        int saved = truncate > 0 ? Math.min(truncate, len) : len;
        long micros = baseMicros + (System.nanoTime() - baseNanos) / 1000;
        int flags = (outgoing ? CaptureRing.OUTGOING : 0) | (rtcp ? CaptureRing.RTCP : 0);
        if (full || len > 65535 || !ring.offer(flags, micros, buf, off, len, saved)) {
            dropped.increment();
            counters.captureDropped.increment();
        }
    }

    // ---- any thread -------------------------------------------------------------------------------------------

    @Override
    public boolean text() {
        return text;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public long written() {
        return written.sum();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void stop(String reason) {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }

    // ---- writer thread ----------------------------------------------------------------------------------------

    /** Encodes what the ring holds into the file; after {@link #stop}, drains the rest and closes. */
    void drain() {
        boolean last = stopped;
        try {
            while (ring.poll(record)) {
                int need = text ? CaptureFormat.textSize(record.saved, suffix.length) : CaptureFormat.pcapSize(record.saved);
                if (size + need > maxBytes) {
                    full = true;
                    dropped.increment();
                    counters.captureDropped.increment();
                    continue;
                }
                if (out.remaining() < need) {
                    flush();
                }
                int before = out.position();
                if (text) {
                    CaptureFormat.textLine(out, record, zone, suffix);
                } else {
                    CaptureFormat.pcapRecord(out, record);
                }
                size += out.position() - before;
                written.increment();
                counters.captureWritten.increment();
            }
            flush();
        } catch (IOException | RuntimeException e) {
            full = true;
            CaptureFiles.LOG_THROTTLE.log(() -> "capture " + file + " write failed: " + e);
            last = true;
            stopped = true;
        }
        if (last) {
            finish();
        }
    }

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }

    /** Closes the file once; completes {@link #closed}. */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            CaptureFiles.LOG_THROTTLE.log(() -> "capture " + file + " close failed: " + e);
        }
        onClosed.run();
        closed.complete(null);
    }
}
