package org.janussfu.webrtc.usrsctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.datachannel.DataChannel;
import org.janussfu.webrtc.datachannel.DataChannelListener;
import org.janussfu.webrtc.datachannel.DataChannelPpid;
import org.janussfu.webrtc.datachannel.DataChannels;
import org.janussfu.webrtc.sctp.SctpTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usrsctp test peer against itself over an in-memory wire (each side on its own single-thread owner): the
 * association comes up by simultaneous open, ordered, unordered, partially reliable and 200 KB fragmented messages
 * cross both ways, stream reset and SHUTDOWN work, and {@link DataChannels} runs DCEP on top on both sides. Skipped
 * when libusrsctp.so.2 is not installed.
 */
class UsrsctpTransportTest {

    private static final long TIMEOUT_SECONDS = 10;

    private Side a;
    private Side b;

    @BeforeEach
    void requireLibusrsctp() {
        assumeTrue(UsrsctpTransport.available(), () -> "libusrsctp.so.2 cannot be loaded; .ci/run installs libusrsctp2"
                + " (apt-get install -y libusrsctp2). Cause: " + UsrsctpTransport.loadError());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Side s : new Side[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** One endpoint: its owner thread, its transport, and what its listener saw. */
    private static final class Side implements SctpTransport.Listener {
        final ExecutorService owner;
        final CountDownLatch established = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final LinkedBlockingQueue<Object[]> messages = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<int[]> resets = new LinkedBlockingQueue<>();
        volatile SctpTransport transport;
        volatile String closeReason;

        Side(String name) {
            owner = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sctp-owner-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        <T> T call(Callable<T> task) throws Exception {
            return owner.submit(task).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        void run(Runnable task) throws Exception {
            call(() -> {
                task.run();
                return null;
            });
        }

        void close() throws Exception {
            if (transport != null) {
                run(() -> transport.abort("test over"));
            }
            owner.shutdown();
            owner.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void onEstablished() {
            established.countDown();
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] data, int off, int len) {
            messages.add(new Object[] {streamId, ppid, Arrays.copyOfRange(data, off, off + len)});
        }

        @Override
        public void onStreamsReset(int[] streamIds) {
            resets.add(streamIds);
        }

        @Override
        public void onClosed(String reason) {
            closeReason = reason;
            closed.countDown();
        }

        Object[] nextMessage() throws InterruptedException {
            Object[] m = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(m, "message timed out");
            return m;
        }
    }

    /** The in-memory wire: a packet from one side is fed to the other on the other's owner. */
    private static Consumer<byte[]> wireTo(Side peer) {
        return packet -> peer.owner.execute(() -> peer.transport.receive(packet, 0, packet.length));
    }

    private void connectRaw() throws Exception {
        a = new Side("a");
        b = new Side("b");
        a.transport = a.call(() -> new UsrsctpTransport(a.owner, wireTo(b), a));
        b.transport = b.call(() -> new UsrsctpTransport(b.owner, wireTo(a), b));
        a.run(() -> a.transport.start());
        b.run(() -> b.transport.start());
        assertTrue(a.established.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a established");
        assertTrue(b.established.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "b established");
        assertTrue(a.call(() -> a.transport.isEstablished()));
    }

    @Test
    void associationComesUpWhenThePeersInitArrivesBeforeOurStart() throws Exception {
        a = new Side("a");
        b = new Side("b");
        a.transport = a.call(() -> new UsrsctpTransport(a.owner, wireTo(b), a));
        b.transport = b.call(() -> new UsrsctpTransport(b.owner, wireTo(a), b));
        a.run(() -> a.transport.start());
        Thread.sleep(100); // a's INIT reaches b first: b must hold it until its own connect
        b.run(() -> b.transport.start());
        assertTrue(a.established.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a established");
        assertTrue(b.established.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "b established");
    }

    @Test
    void associationOrderedUnorderedAndPartiallyReliableMessages() throws Exception {
        connectRaw();
        a.run(() -> {
            for (int i = 0; i < 100; i++) {
                byte[] m = ("ordered " + i).getBytes(StandardCharsets.UTF_8);
                assertTrue(a.transport.send(1, DataChannelPpid.STRING, m, 0, m.length, false, -1, -1));
            }
        });
        for (int i = 0; i < 100; i++) {
            Object[] m = b.nextMessage();
            assertEquals(1, m[0]);
            assertEquals(DataChannelPpid.STRING, m[1]);
            assertEquals("ordered " + i, new String((byte[]) m[2], StandardCharsets.UTF_8));
        }

        b.run(() -> {
            for (int i = 0; i < 50; i++) {
                byte[] m = {(byte) i};
                assertTrue(b.transport.send(2, DataChannelPpid.BINARY, m, 0, 1, true, 0, -1));
            }
            byte[] timed = {(byte) 0xee};
            assertTrue(b.transport.send(4, DataChannelPpid.BINARY, timed, 0, 1, false, -1, 5000));
        });
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 51; i++) {
            Object[] m = a.nextMessage();
            assertEquals(DataChannelPpid.BINARY, m[1]);
            if ((int) m[0] == 2) {
                seen.add((int) ((byte[]) m[2])[0]);
            } else {
                assertEquals(4, m[0]);
            }
        }
        assertEquals(50, seen.size(), "every unordered message arrives on a lossless wire");
    }

    @Test
    void fragmentedMessagesOf200KilobytesBothWays() throws Exception {
        connectRaw();
        byte[] big = new byte[200 * 1024];
        new Random(9260).nextBytes(big);
        long packetsBefore = a.call(() -> ((UsrsctpTransport) a.transport).packetsOut());
        a.run(() -> assertTrue(a.transport.send(3, DataChannelPpid.BINARY, big, 0, big.length, false, -1, -1)));
        Object[] atB = b.nextMessage();
        assertEquals(3, atB[0]);
        assertArrayEquals(big, (byte[]) atB[2]);
        assertTrue(a.call(() -> ((UsrsctpTransport) a.transport).packetsOut()) - packetsBefore > 100,
                "carried in many DATA fragments");

        byte[] back = big.clone();
        back[0] ^= 1;
        b.run(() -> assertTrue(b.transport.send(5, DataChannelPpid.BINARY, back, 0, back.length, true, -1, -1)));
        assertArrayEquals(back, (byte[]) a.nextMessage()[2]);
        assertFalse(a.call(() -> a.transport.send(3, 53, new byte[300_000], 0, 300_000, false, -1, -1)),
                "larger than maxMessageSize");
    }

    @Test
    void streamResetAndGracefulShutdown() throws Exception {
        connectRaw();
        a.run(() -> a.transport.resetStreams(new int[] {1, 3}));
        int[] reset = b.resets.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(reset, "b saw the reset");
        assertArrayEquals(new int[] {1, 3}, reset);

        a.run(() -> a.transport.close());
        assertTrue(a.closed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a closed");
        assertTrue(b.closed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "b closed");
        assertFalse(b.call(() -> b.transport.isEstablished()));
    }

    /** A {@link DataChannelListener} safe to read from the test thread. */
    private static final class Channels implements DataChannelListener {
        final LinkedBlockingQueue<DataChannel> opened = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<DataChannel> closed = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Object[]> messages = new LinkedBlockingQueue<>();

        @Override
        public void onChannelOpen(DataChannel channel) {
            opened.add(channel);
        }

        @Override
        public void onMessage(DataChannel channel, boolean binary, byte[] data, int off, int len) {
            messages.add(new Object[] {channel.label(), binary, Arrays.copyOfRange(data, off, off + len)});
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
            closed.add(channel);
        }

        DataChannel nextOpened() throws InterruptedException {
            DataChannel c = opened.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(c, "channel open timed out");
            return c;
        }

        Object[] nextMessage() throws InterruptedException {
            Object[] m = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(m, "message timed out");
            return m;
        }
    }

    @Test
    void dcepOpenAckAndMessagesThroughDataChannelsOnBothSides() throws Exception {
        a = new Side("client");
        b = new Side("server");
        Channels clientEvents = new Channels();
        Channels serverEvents = new Channels();
        DataChannels client = a.call(() -> new DataChannels(DtlsRole.CLIENT, clientEvents, l -> {
            a.transport = new UsrsctpTransport(a.owner, wireTo(b), new Tee(l, a));
            return a.transport;
        }));
        DataChannels server = b.call(() -> new DataChannels(DtlsRole.SERVER, serverEvents, l -> {
            b.transport = new UsrsctpTransport(b.owner, wireTo(a), new Tee(l, b));
            return b.transport;
        }));
        a.run(() -> client.transport().start());
        b.run(() -> server.transport().start());
        assertTrue(a.established.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(b.established.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));

        // naf-janus-adapter's two channels, opened by the browser side (here: the DTLS client).
        DataChannel reliable = a.call(() -> client.open("reliable", "", true, -1, -1));
        DataChannel unreliable = a.call(() -> client.open("unreliable", "", false, 0, -1));
        assertEquals(0, reliable.streamId());
        assertEquals(2, unreliable.streamId());
        assertEquals("reliable", clientEvents.nextOpened().label());
        assertEquals("unreliable", clientEvents.nextOpened().label());
        DataChannel r = serverEvents.nextOpened();
        DataChannel u = serverEvents.nextOpened();
        assertEquals("reliable", r.label());
        assertEquals("unreliable", u.label());
        assertEquals(2, u.streamId());
        assertFalse(b.call(u::ordered));
        assertEquals(0, (int) b.call(u::maxRetransmits));

        byte[] text = "{\"dataType\":\"u\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        assertTrue(a.call(() -> client.send(reliable, false, text, 0, text.length)));
        Object[] m = serverEvents.nextMessage();
        assertEquals("reliable", m[0]);
        assertEquals(false, m[1]);
        assertArrayEquals(text, (byte[]) m[2]);
        assertTrue(a.call(reliable::acked), "the ACK came back through usrsctp");

        // The server relays by label (binary, empty) and lazily opens a channel on an odd stream id.
        assertTrue(b.call(() -> server.sendOnLabel("unreliable", "", true, new byte[] {1, 2, 3}, 0, 3)));
        assertTrue(b.call(() -> server.sendOnLabel("reliable", "", false, new byte[0], 0, 0)));
        assertTrue(b.call(() -> server.sendOnLabel("JanusDataChannel", "", false, text, 0, text.length)));
        Set<String> got = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Object[] x = clientEvents.nextMessage();
            got.add(x[0] + "/" + x[1] + "/" + ((byte[]) x[2]).length);
        }
        assertEquals(Set.of("unreliable/true/3", "reliable/false/0", "JanusDataChannel/false/" + text.length), got);
        DataChannel lazy = clientEvents.nextOpened();
        assertEquals("JanusDataChannel", lazy.label());
        assertEquals(1, lazy.streamId());

        // Close by stream reset (RFC 8831 §6.7): both sides report the channel closed.
        a.run(() -> client.close(reliable));
        assertEquals("reliable", clientEvents.closed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS).label());
        assertEquals("reliable", serverEvents.closed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS).label());
        assertNull(b.call(() -> server.channelByLabel("reliable")));
        assertEquals(0, (long) a.call(() -> client.stats().dcepMalformed()));
        assertEquals(0, (long) b.call(() -> server.stats().sendDroppedBufferFull()));
    }

    /** Forwards transport events to the data channels and also to the side's latches. */
    private record Tee(SctpTransport.Listener first, Side second) implements SctpTransport.Listener {
        @Override
        public void onEstablished() {
            first.onEstablished();
            second.onEstablished();
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] data, int off, int len) {
            first.onMessage(streamId, ppid, data, off, len);
        }

        @Override
        public void onStreamsReset(int[] streamIds) {
            first.onStreamsReset(streamIds);
        }

        @Override
        public void onClosed(String reason) {
            first.onClosed(reason);
            second.onClosed(reason);
        }
    }
}
