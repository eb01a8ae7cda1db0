package org.janussfu.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;
import org.janussfu.webrtc.srtp.SrtpTransformer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two {@link DtlsTransport}s handshaking in memory: each one's {@link DtlsTransport.Sender} hands the record to a
 * "wire" thread that calls the other's {@code receive}. Workers are one thread per task, named
 * {@code Dtls-worker-N}, so a task that never ends shows up as a live thread.
 */
class DtlsTransportTest {
    private static final String WORKER_PREFIX = "Dtls-worker-";
    private static final AtomicInteger WORKER_IDS = new AtomicInteger();
    /**
     * How long a test waits for a handshake's outcome: beyond the default handshake timeout (10 s), so that a handshake
     * a loaded box slows down ends in its own connected or failed outcome rather than in the test's wait.
     */
    private static final Duration TIMEOUT = DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT.plusSeconds(5);
    /** How long a test waits for a record or an alert that is already on its way. */
    private static final long DELIVERY_SECONDS = 10;

    private static DtlsCertificate certA;
    private static DtlsCertificate certB;

    /** One in-order wire per direction (a shared pool would reorder records, costing 1 s retransmits). */
    private final ExecutorService wireToA = wire("wire-to-a");
    private final ExecutorService wireToB = wire("wire-to-b");

    private static ExecutorService wire(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @BeforeAll
    static void certificates() {
        certA = DtlsCertificate.generate();
        certB = DtlsCertificate.generate();
    }

    @AfterEach
    void stopWires() throws InterruptedException {
        wireToA.shutdownNow();
        wireToB.shutdownNow();
        wireToA.awaitTermination(2, TimeUnit.SECONDS);
        wireToB.awaitTermination(2, TimeUnit.SECONDS);
    }

    static void worker(Runnable task) {
        Thread t = new Thread(task, WORKER_PREFIX + WORKER_IDS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    /** Listener that records everything it is told. */
    static final class Recorder implements DtlsTransport.Listener {
        final CompletableFuture<Connected> connected = new CompletableFuture<>();
        final CompletableFuture<String> failed = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final BlockingQueue<byte[]> data = new LinkedBlockingQueue<>();
        final AtomicInteger outcomes = new AtomicInteger();

        @Override
        public void onConnected(SrtpProfile profile, SrtpKeys keys, String cipherSuiteName) {
            outcomes.incrementAndGet();
            connected.complete(new Connected(profile, keys, cipherSuiteName));
        }

        @Override
        public void onFailed(String reason) {
            outcomes.incrementAndGet();
            failed.complete(reason);
        }

        @Override
        public void onApplicationData(byte[] buf, int off, int len) {
            data.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void onClosed(String reason) {
            closed.complete(reason);
        }
    }

    record Connected(SrtpProfile profile, SrtpKeys keys, String suite) {
    }

    /** Two transports wired to each other; {@code cut} silences the wire from A to B. */
    final class Pair {
        final Recorder listenerA = new Recorder();
        final Recorder listenerB = new Recorder();
        final DtlsTransport a;
        final DtlsTransport b;
        volatile boolean cutAtoB;
        /** When set, datagrams from A that it accepts are lost on the way to B. */
        volatile java.util.function.Predicate<byte[]> loseAtoB;

        Pair(DtlsRole roleA, DtlsFingerprint aExpects, DtlsFingerprint bExpects, Duration timeout) {
            AtomicReference<DtlsTransport> toA = new AtomicReference<>();
            AtomicReference<DtlsTransport> toB = new AtomicReference<>();
            DtlsRole roleB = roleA == DtlsRole.SERVER ? DtlsRole.CLIENT : DtlsRole.SERVER;
            a = new DtlsTransport(roleA, certA, aExpects, DtlsTransportTest::worker,
                    (buf, off, len) -> {
                        java.util.function.Predicate<byte[]> lose = loseAtoB;
                        if (!cutAtoB && (lose == null || !lose.test(Arrays.copyOfRange(buf, off, off + len)))) {
                            relay(wireToB, toB.get(), buf, off, len);
                        }
                    }, listenerA, timeout);
            b = new DtlsTransport(roleB, certB, bExpects, DtlsTransportTest::worker,
                    (buf, off, len) -> relay(wireToA, toA.get(), buf, off, len), listenerB, timeout);
            toA.set(a);
            toB.set(b);
        }

        Pair(DtlsRole roleA) {
            this(roleA, DtlsFingerprint.parse(certB.fingerprint()), certA.fingerprint("sha-512"),
                    DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT);
        }

        void start() {
            a.start();
            b.start();
        }

        Connected[] awaitConnected() throws Exception {
            CompletableFuture.anyOf(CompletableFuture.allOf(listenerA.connected, listenerB.connected),
                    listenerA.failed, listenerB.failed).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(listenerA.failed.isDone(), () -> "A failed: " + listenerA.failed.join());
            assertFalse(listenerB.failed.isDone(), () -> "B failed: " + listenerB.failed.join());
            return new Connected[] {listenerA.connected.join(), listenerB.connected.join()};
        }
    }

    private static void relay(ExecutorService wire, DtlsTransport to, byte[] buf, int off, int len) {
        byte[] copy = Arrays.copyOfRange(buf, off, off + len);
        if (!wire.isShutdown()) {
            wire.execute(() -> to.receive(copy, 0, copy.length));
        }
    }

    private static int liveWorkers() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(WORKER_PREFIX) && t.isAlive()) {
                n++;
            }
        }
        return n;
    }

    private static void assertNoWorkersLeft() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (liveWorkers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, liveWorkers(), "DTLS worker threads still alive");
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void handshakeSrtpApplicationDataAndCloseNotify(DtlsRole roleA) throws Exception {
        Pair pair = new Pair(roleA);
        long t0 = System.nanoTime();
        pair.start();
        Connected[] c = pair.awaitConnected();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT.toMillis());
        assertTrue(pair.a.handshakeNanos() > 0 && pair.b.handshakeNanos() > 0);
        assertTrue(pair.a.extendedMasterSecret() && pair.b.extendedMasterSecret(), "RFC 7627 EMS");

        assertEquals(SrtpProfile.AEAD_AES_128_GCM, c[0].profile());
        assertEquals(c[0].profile(), c[1].profile());
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", c[0].suite());
        assertEquals(c[0].suite(), c[1].suite());
        assertArrayEquals(c[0].keys().localKey(), c[1].keys().remoteKey());
        assertArrayEquals(c[0].keys().localSalt(), c[1].keys().remoteSalt());
        assertFalse(Arrays.equals(c[0].keys().localKey(), c[0].keys().remoteKey()));

        // SRTP both ways with the exported keys
        try (SrtpTransformer srtpA = new SrtpTransformer(c[0].keys());
             SrtpTransformer srtpB = new SrtpTransformer(c[1].keys())) {
            crossProtect(srtpA, srtpB);
            crossProtect(srtpB, srtpA);
        }

        // application data both ways (after onConnected, never before)
        byte[] hello = "hello over DTLS".getBytes(StandardCharsets.UTF_8);
        assertTrue(pair.a.send(hello, 0, hello.length));
        assertArrayEquals(hello, pair.listenerB.data.poll(DELIVERY_SECONDS, TimeUnit.SECONDS));
        byte[] reply = new byte[1000];
        new Random(1).nextBytes(reply);
        assertTrue(pair.b.send(reply, 0, reply.length));
        assertArrayEquals(reply, pair.listenerA.data.poll(DELIVERY_SECONDS, TimeUnit.SECONDS));
        assertTrue(pair.a.sendLimit() >= 1000);
        byte[] tooBig = new byte[pair.a.sendLimit() + 1];
        assertFalse(pair.a.send(tooBig, 0, tooBig.length), "oversized record refused, association kept");
        assertTrue(pair.a.send(hello, 0, hello.length));
        assertArrayEquals(hello, pair.listenerB.data.poll(DELIVERY_SECONDS, TimeUnit.SECONDS));

        // close_notify reaches the other side
        pair.a.close();
        pair.a.close();
        assertEquals("close_notify", pair.listenerB.closed.get(DELIVERY_SECONDS, TimeUnit.SECONDS));
        assertFalse(pair.a.send(hello, 0, hello.length));
        assertFalse(pair.b.isConnected());
        pair.b.close();
        assertEquals(1, pair.listenerA.outcomes.get());
        assertEquals(1, pair.listenerB.outcomes.get());
        assertFalse(pair.listenerA.closed.isDone(), "local close does not report onClosed");
        assertEquals(0, pair.a.listenerErrors() + pair.b.listenerErrors());
        assertNoWorkersLeft();
    }

    private static void crossProtect(SrtpTransformer from, SrtpTransformer to) {
        byte[] rtp = HexFormat.of().parseHex("800f1234decafbadcafebabeabababababababababababababababab");
        byte[] buf = new byte[rtp.length + SrtpTransformer.MIN_TAILROOM];
        System.arraycopy(rtp, 0, buf, 0, rtp.length);
        int len = from.protectRtp(buf, 0, rtp.length);
        assertEquals(rtp.length + from.profile().srtpTagLength(), len);
        assertEquals(rtp.length, to.unprotectRtp(buf, 0, len));
        assertArrayEquals(rtp, Arrays.copyOf(buf, rtp.length));

        byte[] rtcp = HexFormat.of().parseHex("81c8000bcafebabeabababababababababababababababab");
        byte[] rbuf = new byte[rtcp.length + SrtpTransformer.MIN_TAILROOM];
        System.arraycopy(rtcp, 0, rbuf, 0, rtcp.length);
        int rlen = from.protectRtcp(rbuf, 0, rtcp.length);
        assertEquals(rtcp.length, to.unprotectRtcp(rbuf, 0, rlen));
        assertArrayEquals(rtcp, Arrays.copyOf(rbuf, rtcp.length));
    }

    @Test
    void sha1FingerprintFromSdpIsAccepted() throws Exception {
        Pair pair = new Pair(DtlsRole.CLIENT, certB.fingerprint("sha-1"), certA.fingerprint("sha-384"),
                DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT);
        pair.start();
        pair.awaitConnected();
        pair.a.close();
        pair.b.close();
        assertNoWorkersLeft();
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void fingerprintMismatchFailsTheHandshake(DtlsRole roleA) throws Exception {
        DtlsFingerprint wrong = DtlsFingerprint.parse(DtlsCertificate.generate().fingerprint());
        Pair pair = new Pair(roleA, wrong, DtlsFingerprint.parse(certA.fingerprint()), Duration.ofSeconds(3));
        pair.start();
        // The reasons tell the mismatch from the 3 s handshake timeout, so the waits can be longer than that.
        String reason = pair.listenerA.failed.get(DELIVERY_SECONDS, TimeUnit.SECONDS);
        assertTrue(reason.contains("fingerprint mismatch"), reason);
        String other = pair.listenerB.failed.get(DELIVERY_SECONDS, TimeUnit.SECONDS);
        assertTrue(other.contains("bad_certificate"), other);
        assertFalse(pair.listenerA.connected.isDone());
        assertFalse(pair.listenerB.connected.isDone());
        pair.a.close();
        pair.b.close();
        assertNoWorkersLeft();
    }

    /**
     * RFC 6347 §4.2.4: a lost flight is sent again when the retransmission timer fires, in either role and whether
     * the first or the last flight is lost. A's first datagram is its ClientHello (client) or the start of its
     * ServerHello flight (server); A's first ChangeCipherSpec record starts its final flight — for the server that
     * flight is only resent when the client's retransmitted flight arrives after the server's handshake has already
     * ended, i.e. on the post-handshake drain path rather than in Bouncy Castle's handshake loop. (Issue 15: the
     * soak's DTLS handshake timeouts were not this — the server's ICE never completed — but both roles of the
     * retransmission path were checked while finding that out.)
     */
    @ParameterizedTest(name = "{0} loses its {1} flight")
    @CsvSource({"CLIENT, first", "SERVER, first", "CLIENT, last", "SERVER, last"})
    void lostFlightIsRetransmitted(DtlsRole roleA, String which) throws Exception {
        Pair pair = new Pair(roleA, DtlsFingerprint.parse(certB.fingerprint()), certA.fingerprint("sha-512"),
                Duration.ofSeconds(30));
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        pair.loseAtoB = d -> ("first".equals(which) || hasRecordOfType(d, 20)) && lost.compareAndSet(false, true);
        pair.start();
        CompletableFuture.anyOf(CompletableFuture.allOf(pair.listenerA.connected, pair.listenerB.connected),
                pair.listenerA.failed, pair.listenerB.failed).get(25, TimeUnit.SECONDS);
        assertTrue(lost.get(), "a datagram of the " + which + " flight was lost");
        assertFalse(pair.listenerA.failed.isDone(), () -> "A failed: " + pair.listenerA.failed.join());
        assertFalse(pair.listenerB.failed.isDone(), () -> "B failed: " + pair.listenerB.failed.join());
        assertEquals(pair.listenerA.connected.join().profile(), pair.listenerB.connected.join().profile());
        byte[] hello = "after a retransmission".getBytes(StandardCharsets.UTF_8);
        assertTrue(pair.a.send(hello, 0, hello.length));
        assertArrayEquals(hello, pair.listenerB.data.poll(DELIVERY_SECONDS, TimeUnit.SECONDS));
        pair.a.close();
        pair.b.close();
        assertNoWorkersLeft();
    }

    /** Whether the datagram holds a DTLS record (RFC 6347 §4.1: 13-byte header, length last) of {@code type}. */
    private static boolean hasRecordOfType(byte[] d, int type) {
        int off = 0;
        while (off + 13 <= d.length) {
            if ((d[off] & 0xFF) == type) {
                return true;
            }
            off += 13 + (((d[off + 11] & 0xFF) << 8) | (d[off + 12] & 0xFF));
        }
        return false;
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void silentPeerTimesOut(DtlsRole role) throws Exception {
        Recorder listener = new Recorder();
        DtlsTransport t = new DtlsTransport(role, certA, DtlsFingerprint.parse(certB.fingerprint()),
                DtlsTransportTest::worker, (buf, off, len) -> { }, listener, Duration.ofMillis(400));
        long t0 = System.nanoTime();
        t.start();
        if (role == DtlsRole.SERVER) {
            // The server waits for the ClientHello without a thread; the owner's timer (PeerConnection) ends the wait.
            Thread.sleep(100);
            assertEquals(0, liveWorkers(), "a server waiting for the peer's first record holds a worker");
            Thread timer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                t.expireIfWaiting();
            });
            timer.setDaemon(true);
            timer.start();
        }
        // Up to 8 s of slack for a loaded box: still below the 10 s default, so the configured 400 ms is what fired.
        assertEquals("DTLS handshake timeout", listener.failed.get(9, TimeUnit.SECONDS));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 350 && ms < 8000, "timed out after " + ms + " ms");
        t.close();
        assertEquals(1, listener.outcomes.get());
        assertNoWorkersLeft();
    }

    @Test
    void aServerTakesAWorkerOnlyWithThePeersFirstRecord() throws Exception {
        Recorder listener = new Recorder();
        AtomicInteger dispatched = new AtomicInteger();
        DtlsTransport t = new DtlsTransport(DtlsRole.SERVER, certA, DtlsFingerprint.parse(certB.fingerprint()),
                task -> {
                    dispatched.incrementAndGet();
                    worker(task);
                }, (buf, off, len) -> { }, listener, Duration.ofMillis(300));
        t.start();
        assertEquals(0, dispatched.get(), "dispatched before any record");
        // Something record-shaped (not a valid ClientHello) arrives: the handshake now runs, and times out itself.
        t.receive(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 13);
        assertEquals(1, dispatched.get());
        t.expireIfWaiting(); // the owner's timer: no effect once the handshake runs
        assertEquals("DTLS handshake timeout", listener.failed.get(9, TimeUnit.SECONDS));
        assertEquals(1, dispatched.get());
        assertEquals(1, listener.outcomes.get());
        assertNoWorkersLeft();
    }

    @Test
    void closeDuringHandshakeReportsFailureAndFreesTheWorker() throws Exception {
        Recorder listener = new Recorder();
        DtlsTransport t = new DtlsTransport(DtlsRole.SERVER, certA, DtlsFingerprint.parse(certB.fingerprint()),
                DtlsTransportTest::worker, (buf, off, len) -> { }, listener);
        t.start();
        Thread.sleep(50);
        t.close();
        assertEquals("DTLS transport closed", listener.failed.get(DELIVERY_SECONDS, TimeUnit.SECONDS));
        t.receive(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 13);
        assertEquals(1, t.droppedRecords());
        assertNoWorkersLeft();
    }

    @Test
    void garbageDuringAndAfterTheHandshakeIsDroppedAndCounted() throws Exception {
        Pair pair = new Pair(DtlsRole.SERVER);
        Random random = new Random(42);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        pair.start();
        Thread noise = new Thread(() -> {
            try {
                for (int i = 0; i < 500; i++) {
                    feedGarbage(random, pair.a, i);
                    feedGarbage(random, pair.b, i);
                }
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "noise");
        noise.start();
        pair.awaitConnected();
        noise.join();
        for (int i = 0; i < 500; i++) {
            feedGarbage(random, pair.a, i);
            feedGarbage(random, pair.b, i);
        }
        assertEquals(null, thrown.get());
        assertTrue(pair.a.garbageRecords() > 0 && pair.b.garbageRecords() > 0);

        byte[] msg = "still alive".getBytes(StandardCharsets.UTF_8);
        // Unreliable like UDP: a record arriving while the flood still fills the queue is dropped (counted), and
        // a loaded box may take long to drain it, so the record is sent again (as an application over UDP would)
        // until one gets through; an association the garbage broke lets none through.
        byte[] got = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (got == null && System.nanoTime() - end < 0) {
            assertTrue(pair.b.send(msg, 0, msg.length));
            got = pair.listenerA.data.poll(500, TimeUnit.MILLISECONDS);
        }
        assertArrayEquals(msg, got);
        assertTrue(pair.a.isConnected() && pair.b.isConnected());
        pair.a.close();
        assertEquals("close_notify", pair.listenerB.closed.get(DELIVERY_SECONDS, TimeUnit.SECONDS));
        pair.b.close();
        assertNoWorkersLeft();
    }

    /**
     * Random bytes of random length, and every fourth record a plausible DTLS 1.2 header (application data, epoch
     * 1 or 7, right length) around random bytes, which passes our pre-filter and reaches Bouncy Castle.
     */
    private static void feedGarbage(Random random, DtlsTransport to, int i) {
        byte[] junk = new byte[random.nextInt(1600)];
        random.nextBytes(junk);
        if (i % 4 == 0 && junk.length >= 13 + 24) {
            junk[0] = 23;
            junk[1] = (byte) 0xFE;
            junk[2] = (byte) 0xFD;
            junk[3] = 0;
            junk[4] = (byte) (i % 8 == 0 ? 1 : 7);
            int body = junk.length - 13;
            junk[11] = (byte) (body >> 8);
            junk[12] = (byte) body;
        }
        to.receive(junk, 0, junk.length);
    }

    @Test
    void looksLikeDtlsFollowsRfc7983() {
        assertFalse(DtlsTransport.looksLikeDtls((byte) 19));
        assertTrue(DtlsTransport.looksLikeDtls((byte) 20));
        assertTrue(DtlsTransport.looksLikeDtls((byte) 63));
        assertFalse(DtlsTransport.looksLikeDtls((byte) 64));
        assertFalse(DtlsTransport.looksLikeDtls((byte) 0x80));
        assertFalse(DtlsTransport.looksLikeDtls((byte) 0));
    }
}
