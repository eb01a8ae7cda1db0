package org.janussfu.webrtc.usrsctp;

import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.datachannel.DataChannel;
import org.janussfu.webrtc.datachannel.DataChannelListener;
import org.janussfu.webrtc.datachannel.DataChannels;
import org.janussfu.webrtc.sctp.SctpAssociation;
import org.janussfu.webrtc.sctp.SctpClock;
import org.janussfu.webrtc.sctp.SctpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop of the project's pure-Java SCTP engine with an independent implementation, Debian's usrsctp (the one
 * Janus links), through the test-only JNA peer, with DCEP data channels on both sides: simultaneous open, channels
 * opened from either side, ordered, unordered (maxRetransmits 0) and 200 KB fragmented messages in both directions.
 * Skipped when libusrsctp.so.2 is not installed (.ci/run installs libusrsctp2).
 */
class SctpInteropTest {
    private ScheduledExecutorService ours;
    private ScheduledExecutorService theirs;
    private DataChannels java;
    private DataChannels usr;
    private final LinkedBlockingQueue<Object[]> javaGot = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Object[]> usrGot = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() {
        assumeTrue(UsrsctpTransport.available(), () -> "libusrsctp.so.2 cannot be loaded; .ci/run installs libusrsctp2."
                + " Cause: " + UsrsctpTransport.loadError());
        ours = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "java-sctp"));
        theirs = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "usrsctp-owner"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (java != null) {
            on(ours, () -> {
                java.transport().abort("test over");
                return null;
            });
        }
        if (usr != null) {
            on(theirs, () -> {
                usr.transport().close();
                return null;
            });
        }
        if (ours != null) {
            ours.shutdownNow();
            theirs.shutdownNow();
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static <T> T on(ScheduledExecutorService owner, Callable<T> task) throws Exception {
        return owner.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** SctpClock on the owner's single thread. */
    static SctpClock clockOn(ScheduledExecutorService owner) {
        return new SctpClock() {
            @Override
            public long nowMillis() {
                return System.nanoTime() / 1_000_000;
            }

            @Override
            public Timer schedule(long delayMillis, Runnable task) {
                var f = owner.schedule(task, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }

    static DataChannelListener recording(LinkedBlockingQueue<Object[]> got) {
        return new DataChannelListener() {
            @Override
            public void onChannelOpen(DataChannel channel) {
            }

            @Override
            public void onMessage(DataChannel channel, boolean binary, byte[] data, int off, int len) {
                got.add(new Object[]{channel.label(), binary, Arrays.copyOfRange(data, off, off + len)});
            }

            @Override
            public void onChannelClosed(DataChannel channel) {
            }
        };
    }

    static Object[] next(LinkedBlockingQueue<Object[]> q) throws InterruptedException {
        Object[] m = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "message did not arrive");
        return m;
    }

    @Test
    void javaEngineAndUsrsctpExchangeEveryKindOfMessage() throws Exception {
        CompletableFuture<Void> javaUp = new CompletableFuture<>();
        CompletableFuture<Void> usrUp = new CompletableFuture<>();
        // Wire: each side's packets are handed to the other's owner thread.
        java = on(ours, () -> new DataChannels(DtlsRole.CLIENT, new Forwarding(recording(javaGot), javaUp),
                l -> new SctpAssociation(5000, 5000, clockOn(ours), (b, o, n) -> {
                    byte[] copy = Arrays.copyOfRange(b, o, o + n);
                    theirs.execute(() -> usr.transport().receive(copy, 0, copy.length));
                }, l, SctpConfig.defaults().withMtu(1163))));
        usr = on(theirs, () -> new DataChannels(DtlsRole.SERVER, new Forwarding(recording(usrGot), usrUp),
                l -> new UsrsctpTransport(theirs, bytes -> ours.execute(() -> java.transport().receive(bytes, 0, bytes.length)),
                        l, 5000, 5000, 262144)));
        on(theirs, () -> {
            usr.transport().start();
            return null;
        });
        on(ours, () -> {
            java.transport().start();
            return null;
        });
        javaUp.get(10, TimeUnit.SECONDS);
        usrUp.get(10, TimeUnit.SECONDS);

        // channels opened from both sides, as browsers and the server do
        on(ours, () -> java.open("reliable", "", true, -1, -1));
        on(ours, () -> java.open("unreliable", "", false, 0, -1));
        on(theirs, () -> usr.open("from-usrsctp", "", true, -1, -1));
        Thread.sleep(300);

        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7 + 3);
        }
        byte[] text = "hello usrsctp".getBytes(StandardCharsets.UTF_8);
        on(ours, () -> java.sendOnLabel("reliable", "", false, text, 0, text.length));
        on(ours, () -> java.sendOnLabel("unreliable", "", true, new byte[]{9, 8, 7}, 0, 3));
        on(ours, () -> java.sendOnLabel("reliable", "", true, big, 0, big.length));
        Object[] m1 = next(usrGot);
        assertEquals("reliable", m1[0]);
        assertArrayEquals(text, (byte[]) m1[2]);
        Object[] m2 = next(usrGot);
        assertEquals("unreliable", m2[0]);
        assertEquals(true, m2[1]);
        Object[] m3 = next(usrGot);
        assertArrayEquals(big, (byte[]) m3[2], "200 KB fragmented Java → usrsctp");

        byte[] back = "hello java".getBytes(StandardCharsets.UTF_8);
        on(theirs, () -> usr.sendOnLabel("from-usrsctp", "", false, back, 0, back.length));
        on(theirs, () -> usr.sendOnLabel("unreliable", "", true, new byte[]{1}, 0, 1));
        on(theirs, () -> usr.sendOnLabel("reliable", "", true, big, 0, big.length));
        Object[] r1 = next(javaGot);
        assertEquals("from-usrsctp", r1[0]);
        assertArrayEquals(back, (byte[]) r1[2]);
        Object[] r2 = next(javaGot);
        assertEquals("unreliable", r2[0]);
        Object[] r3 = next(javaGot);
        assertArrayEquals(big, (byte[]) r3[2], "200 KB fragmented usrsctp → Java");
    }

    /** Completes a future when the association is up, forwarding everything else. */
    private record Forwarding(DataChannelListener inner, CompletableFuture<Void> up) implements DataChannelListener {
        @Override
        public void onEstablished() {
            up.complete(null);
        }

        @Override
        public void onChannelOpen(DataChannel channel) {
            inner.onChannelOpen(channel);
        }

        @Override
        public void onMessage(DataChannel channel, boolean binary, byte[] data, int off, int len) {
            inner.onMessage(channel, binary, data, off, len);
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
            inner.onChannelClosed(channel);
        }
    }
}
