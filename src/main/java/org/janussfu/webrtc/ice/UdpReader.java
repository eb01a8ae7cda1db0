package org.janussfu.webrtc.ice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fixed set of reader threads for every {@link UdpEndpoint} of the process — the shared ports and each connection's
 * own socket in port-range and client mode — so that sockets and threads are the server's, not the peers': one
 * {@link Selector} per thread, endpoints spread over them round-robin. Process-wide, created on first use with
 * {@link #configure configured} daemon threads named {@code ice-udp-<n>}, which run for the life of the JVM; registration and
 * closing may be called from any thread (they are queued to the selector thread).
 *
 * <p>A closed channel keeps its file descriptor until its selector deregisters it, so {@link #close} wakes the
 * selector at once: the descriptor is released within one select, not at a garbage collection.
 */
final class UdpReader {
    private static final Logger LOG = Logger.getLogger(UdpReader.class.getName());
    /**
     * Reader threads ({@link IceConfig#udpReaders()}, default 1): each only classifies a datagram and hands it to its
     * owner, about a microsecond of work, so one serves many thousands of packets per second.
     */
    private static int threads = IceConfig.DEFAULT_UDP_READERS;
    private static volatile Loop[] loops;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private UdpReader() {
    }

    /** The reader loop the next endpoint goes to. */
    static Loop next() {
        Loop[] l = loops;
        if (l == null) {
            synchronized (UdpReader.class) {
                l = loops;
                if (l == null) {
                    l = new Loop[threads];
                    for (int i = 0; i < l.length; i++) {
                        l[i] = new Loop("ice-udp-" + (i + 1));
                    }
                    loops = l;
                }
            }
        }
        return l[Math.floorMod(NEXT.getAndIncrement(), l.length)];
    }

    /**
     * Sets the number of reader threads before the first endpoint exists (the server calls it at startup); later
     * calls change nothing. Returns the number in force.
     */
    static synchronized int configure(int n) {
        if (loops == null && n >= 1) {
            threads = n;
        }
        return loops == null ? threads : loops.length;
    }

    /** Threads the readers run (once started): constant for the process. */
    static synchronized int threads() {
        return loops == null ? threads : loops.length;
    }

    /** One selector thread. */
    static final class Loop implements Runnable {
        private final Selector selector;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final byte[] scratch = new byte[UdpEndpoint.MAX_DATAGRAM];
        private final ByteBuffer rx = ByteBuffer.wrap(scratch);

        Loop(String name) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector", e);
            }
            Thread t = new Thread(this, name);
            t.setDaemon(true);
            t.start();
        }

        void register(UdpEndpoint e) {
            tasks.add(() -> {
                try {
                    e.channel().register(selector, SelectionKey.OP_READ, e);
                } catch (ClosedChannelException closed) {
                    // closed before it was registered: nothing to read
                }
            });
            selector.wakeup();
        }

        /** Cancels this selector's key of {@code e} on the reader thread, then runs {@code then} there. */
        void handOver(UdpEndpoint e, Runnable then) {
            tasks.add(() -> {
                SelectionKey k = e.channel().keyFor(selector);
                if (k != null) {
                    k.cancel();
                }
                then.run();
            });
            selector.wakeup();
        }

        void close(UdpEndpoint e) {
            try {
                e.channel().close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            tasks.add(() -> { }); // the select below deregisters the cancelled key and frees the descriptor
            selector.wakeup();
        }

        @Override
        public void run() {
            for (;;) {
                try {
                    selector.select();
                    for (Runnable r; (r = tasks.poll()) != null; ) {
                        r.run();
                    }
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        if (k.isValid()) {
                            ((UdpEndpoint) k.attachment()).drain(rx, scratch);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "UDP reader loop error (continuing)", e);
                }
            }
        }
    }
}
