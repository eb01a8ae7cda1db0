package org.janussfu.cluster;

import io.vertx.core.Context;
import org.janussfu.rtp.Packet;
import org.janussfu.sfu.SfuPlugin;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The node-to-node media relay (decision 0014, after Jitsi's Octo): one UDP socket on {@code cluster.host:media-port}
 * that carries RTP between nodes in {@link RelayFrame}s, read and written on the media loop — the thread that
 * decrypted the publisher's packet sends the frame, and the thread that reads it fans it out to this node's
 * subscribers, so a cross-node packet takes no thread hand-off and no TCP hop (the event bus took two hand-offs and
 * TCP's ordering). Frames go once per (publisher, remote node) to the address the subscribing node gave; a received
 * frame is delivered only when its target is a known mirror and its token is that mirror's secret, so datagrams from
 * anyone else are dropped and counted, never logged. Loss is UDP's: gaps in a relay's frame sequence are counted
 * ({@code relay_lost}); subscribers' NACKs are answered from the receiving node's rings. Data-channel frames (the
 * fast copy of each message between nodes, {@link DataStream}) go to {@link ClusterMedia}, which checks their stream
 * and token.
 *
 * <p>Owner: the media loop. {@link #drain} runs there; {@link #send} is called there (the media path of server
 * connections, decision 0013) and uses one reused buffer; a call from another thread gets a buffer of its own and
 * is counted ({@code relay_off_loop}). Opened and closed by {@link ClusterMedia} on its start and stop.
 */
final class MediaRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MediaRelay.class.getName());
    /** Datagrams read per readiness event before other work on the loop gets its turn. */
    private static final int BATCH = 64;
    private static final int SOCKET_BUFFER = 4 << 20;
    /** A jump in a relay's frame sequence beyond this is a new subscription, not loss (50 s of a 200 pps stream). */
    private static final int RESYNC = 10_000;

    private final DatagramChannel channel;
    private final int port;
    private final ClusterCounters counters;
    private final Map<Long, RemoteHandle> mirrors;
    private final SfuPlugin plugin;
    private final java.util.function.ObjIntConsumer<byte[]> data;
    /** Data-channel frames are sent from the senders' threads: one buffer each. */
    private final ThreadLocal<ByteBuffer> dataOut =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(RelayFrame.HEADER + RelayFrame.MAX_RTP));
    private final ByteBuffer tx = ByteBuffer.allocateDirect(RelayFrame.HEADER + RelayFrame.MAX_RTP);
    private final byte[] scratch = new byte[RelayFrame.HEADER + RelayFrame.MAX_RTP + 1];
    private final ByteBuffer rx = ByteBuffer.wrap(scratch);
    private final Packet view = new Packet(new byte[0], 0, 0, false);
    private volatile Thread loop;
    private volatile Runnable stopReading = () -> { };

    private MediaRelay(DatagramChannel channel, ClusterCounters counters, Map<Long, RemoteHandle> mirrors,
                       SfuPlugin plugin, java.util.function.ObjIntConsumer<byte[]> data) throws IOException {
        this.data = data;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.counters = counters;
        this.mirrors = mirrors;
        this.plugin = plugin;
    }

    /** Binds {@code host:port} (0 = any free port), non-blocking, with large socket buffers. */
    static MediaRelay open(InetAddress host, int port, ClusterCounters counters, Map<Long, RemoteHandle> mirrors,
                           SfuPlugin plugin, java.util.function.ObjIntConsumer<byte[]> data) throws IOException {
        DatagramChannel ch = DatagramChannel.open(host instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            ch.bind(new InetSocketAddress(host, port));
            ch.configureBlocking(false);
            return new MediaRelay(ch, counters, mirrors, plugin, data);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /**
     * Starts reading on the media loop through {@code reader}; false (the caller then uses the event bus) if the
     * loop cannot read our channel (not NIO).
     */
    boolean start(ClusterRooms.LoopReader reader, Context mediaContext) {
        mediaContext.runOnContext(v -> loop = Thread.currentThread());
        return reader.read(channel, v -> drain(), stop -> stopReading = stop);
    }

    /** Media loop: one frame of {@code packet} to the relay's node. Never blocks; a full socket buffer drops it. */
    void send(RemoteHandle relay, Packet packet) {
        boolean onLoop = Thread.currentThread() == loop;
        ByteBuffer out = onLoop ? tx : ByteBuffer.allocate(RelayFrame.HEADER + RelayFrame.MAX_RTP);
        if (!onLoop) {
            counters.relayOffLoop.increment();
        }
        if (!RelayFrame.write(out, packet.isVideo(), relay.relaySeq++, relay.remoteId, relay.token, packet.buffer(),
                packet.offset(), packet.length())) {
            counters.relaySendFailed.increment();
            return;
        }
        try {
            if (channel.send(out, relay.relayTo) == 0) {
                counters.relaySendFailed.increment(); // the kernel's buffer is full: dropped, as a congested link would
            } else {
                counters.rtpSent.increment();
                counters.relaySent.increment();
            }
        } catch (IOException e) {
            counters.relaySendFailed.increment();
        }
    }

    /**
     * Any thread (the sender's session context; the channel is thread-safe): the relay copy of data-channel message
     * {@code f}, numbered in {@code route}, in that thread's buffer; false if it does not fit one frame or was not
     * sent (its event-bus copy still goes).
     */
    boolean sendData(DataRoute route, MediaFrame f) {
        ByteBuffer out = dataOut.get();
        if (!RelayFrame.writeData(out, route.stream, route.token, f)) {
            return false;
        }
        try {
            return channel.send(out, route.to) > 0;
        } catch (IOException e) {
            counters.relaySendFailed.increment();
            return false;
        }
    }

    /** Media loop, on readiness: up to {@link #BATCH} datagrams, each delivered or dropped and counted. */
    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            rx.clear();
            try {
                if (channel.receive(rx) == null) {
                    return;
                }
            } catch (IOException e) {
                counters.relayRejected.increment();
                return;
            }
            deliver(rx.position());
        }
    }

    private void deliver(int len) {
        byte[] b = scratch;
        if (RelayFrame.isData(b, len)) {
            data.accept(b, len);
            return;
        }
        if (!RelayFrame.wellFormed(b, len)) {
            counters.relayRejected.increment();
            return;
        }
        RemoteHandle mirror = mirrors.get(RelayFrame.target(b));
        if (mirror == null || mirror.token != RelayFrame.token(b)) {
            // not ours (junk, a forged or stale token) or a mirror already gone: the same answer, nothing
            counters.relayRejected.increment();
            return;
        }
        if (mirror.pluginState() == null) {
            counters.framesUnknownTarget.increment();
            return;
        }
        int seq = RelayFrame.sequence(b);
        if (!mirror.relaySeen) {
            mirror.relaySeen = true;
            mirror.relaySeq = seq;
        } else {
            int gap = seq - mirror.relaySeq - 1;
            if (gap < -RESYNC || gap > RESYNC) {
                mirror.relaySeq = seq; // the origin subscribed anew (its sequence restarts): no loss to count
            } else if (gap >= 0) {
                if (gap > 0) {
                    counters.relayLost.add(gap);
                }
                mirror.relaySeq = seq;
            } else {
                counters.relayLate.increment(); // reordered or duplicated on the way: delivered, already counted lost
            }
        }
        counters.rtpReceived.increment();
        counters.relayReceived.increment();
        plugin.incomingRtp(mirror, view.wrap(b, RelayFrame.HEADER, len - RelayFrame.HEADER, RelayFrame.video(b)));
    }

    @Override
    public void close() {
        stopReading.run();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.fine(() -> "media relay close: " + e);
        }
    }
}
