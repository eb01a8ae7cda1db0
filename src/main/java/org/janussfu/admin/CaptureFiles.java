package org.janussfu.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.janussfu.core.Capture;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.LogThrottle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where packet captures go and who writes them. A capture file lives under {@code admin.pcap-dir} only: a request's
 * {@code folder} (relative, or absolute inside the directory) and {@code filename} (a plain name; Janus' random
 * {@code janus-text2pcap-N.pcap|txt} when absent) must resolve inside it, symbolic links included, or the request
 * fails — the admin secret is not a licence to write anywhere. Files are opened on a Vert.x worker (never on an
 * event loop), appended to as Janus does (a pcap file only if it already is one), and one file takes one capture at
 * a time. One daemon thread ({@code pcap-writer}) drains every running capture's ring to its file every
 * {@value #DRAIN_MS} ms. Thread-safe: {@link #open} from the admin loop, the rest on the writer thread.
 */
final class CaptureFiles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CaptureFiles.class.getName());
    static final LogThrottle LOG_THROTTLE = new LogThrottle(LOG, Level.WARNING, 20, 10_000);
    static final long DRAIN_MS = 20;

    private final AdminConfig config;
    private final AdminCounters counters;
    private final List<PacketCapture> running = new CopyOnWriteArrayList<>();
    /** Absolute paths of the running captures' files; guarded by itself (never on the packet path). */
    private final Set<Path> busy = new HashSet<>();
    private ScheduledExecutorService writer;

    CaptureFiles(AdminConfig config, AdminCounters counters) {
        this.config = config;
        this.counters = counters;
    }

    /**
     * Resolves and opens the capture file on a worker. Fails with 490 {@code Error starting pcap dump} /
     * {@code Error starting text2pcap dump} (Janus' texts; the log says why) when captures are off, the path leaves
     * the capture directory, or the file cannot be opened.
     */
    Future<Capture> open(Vertx vertx, boolean text, String folder, String filename, int truncate, long sessionId,
                         long handleId) {
        String error = text ? "Error starting text2pcap dump" : "Error starting pcap dump";
        Path target;
        try {
            target = resolve(folder, filename, text);
        } catch (IllegalArgumentException e) {
            LOG_THROTTLE.log(() -> "capture refused session=" + sessionId + " handle=" + handleId + ": " + e.getMessage());
            return Future.failedFuture(new JanusException(JanusError.UNKNOWN, error));
        }
        return vertx.<Capture>executeBlocking(() -> openBlocking(target, text, truncate, sessionId, handleId))
                .recover(e -> {
                    LOG_THROTTLE.log(() -> "capture refused session=" + sessionId + " handle=" + handleId + " file="
                            + target + ": " + e.getMessage());
                    return Future.failedFuture(new JanusException(JanusError.UNKNOWN, error));
                });
    }

    /** The file a request names, inside the capture directory; IllegalArgumentException with the reason otherwise. */
    Path resolve(String folder, String filename, boolean text) {
        if (config.pcapDir().isBlank()) {
            throw new IllegalArgumentException("captures are off (admin.pcap-dir is empty)");
        }
        try {
            Path base = Path.of(config.pcapDir()).toAbsolutePath().normalize();
            Path dir = base;
            if (folder != null && !folder.isEmpty()) {
                Path f = Path.of(folder);
                dir = (f.isAbsolute() ? f : base.resolve(f)).normalize();
            }
            if (!dir.startsWith(base)) {
                throw new IllegalArgumentException("folder outside admin.pcap-dir: " + folder);
            }
            String name = filename != null ? filename
                    : "janus-text2pcap-" + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt()) + (text ? ".txt" : ".pcap");
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                    || name.indexOf('\\') >= 0 || name.length() > 255) {
                throw new IllegalArgumentException("filename must be a plain file name: " + name);
            }
            return dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid path: " + e.getMessage());
        }
    }

    private Capture openBlocking(Path target, boolean text, int truncate, long sessionId, long handleId)
            throws IOException {
        Path base = Path.of(config.pcapDir()).toAbsolutePath().normalize();
        Files.createDirectories(base);
        Files.createDirectories(target.getParent());
        // No escape through a symbolic link anywhere on the way (the file itself is opened without following one).
        if (!target.getParent().toRealPath().startsWith(base.toRealPath())) {
            throw new IOException("folder resolves outside admin.pcap-dir");
        }
        synchronized (busy) {
            if (!busy.add(target)) {
                throw new IOException("another capture is writing this file");
            }
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    LinkOption.NOFOLLOW_LINKS);
            long size = ch.size();
            if (!text) {
                if (size == 0) {
                    ByteBuffer h = ByteBuffer.allocate(CaptureFormat.GLOBAL_HEADER);
                    CaptureFormat.globalHeader(h);
                    h.flip();
                    while (h.hasRemaining()) {
                        ch.write(h);
                    }
                    size = CaptureFormat.GLOBAL_HEADER;
                } else if (!isPcap(target)) {
                    throw new IOException("existing file is not a pcap file");
                }
            }
            PacketCapture c = new PacketCapture(text, target.toString(), ch, size, truncate, config.pcapMaxBytes(),
                    config.pcapBufferBytes(), counters, sessionId, handleId, () -> {
                        synchronized (busy) {
                            busy.remove(target);
                        }
                        counters.capturesRunning.decrement();
                    });
            counters.capturesRunning.increment();
            start(c);
            LOG.info(() -> "capture started session=" + sessionId + " handle=" + handleId + " file=" + target
                    + (text ? " format=text2pcap" : " format=pcap"));
            return c;
        } catch (IOException | RuntimeException e) {
            synchronized (busy) {
                busy.remove(target);
            }
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
    }

    private static boolean isPcap(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            in.read(b, 0);
            return b.position() == 4 && b.getInt(0) == CaptureFormat.PCAP_MAGIC;
        }
    }

    private synchronized void start(PacketCapture c) {
        if (writer == null) {
            writer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "pcap-writer");
                t.setDaemon(true);
                return t;
            });
            writer.scheduleWithFixedDelay(this::drainAll, DRAIN_MS, DRAIN_MS, TimeUnit.MILLISECONDS);
        }
        running.add(c);
    }

    /** Writer thread: every capture's ring into its file; stopped ones are finished and forgotten. */
    private void drainAll() {
        for (PacketCapture c : running) {
            c.drain();
            if (c.closed.isDone()) {
                running.remove(c);
            }
        }
    }

    /** Stops every capture and lets the writer close their files (server stop). */
    @Override
    public synchronized void close() {
        for (PacketCapture c : running) {
            c.stop("server stopping");
        }
        if (writer != null) {
            writer.execute(this::drainAll);
            writer.shutdown();
            try {
                writer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
