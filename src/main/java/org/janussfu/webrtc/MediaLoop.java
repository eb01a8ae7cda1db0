package org.janussfu.webrtc;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.janussfu.webrtc.ice.UdpEndpoint;

/**
 * The media loop of a {@link MediaEngine} (decision 0013, run to completion): one Vert.x event-loop context whose
 * thread reads the engine's shared UDP ports itself — the channels are registered on that event loop's own NIO
 * selector — and owns the media state of every server-side {@link PeerConnection} of the engine (SRTP contexts, the
 * inbound and outbound streams, NACK rings, RTCP of each leg). A datagram is therefore decrypted, fanned out,
 * re-encrypted and sent to every subscriber on the thread that read it, with no hand-off. Created once by
 * {@link MediaEngine#bind}; its methods may be called from any thread, the packet handlers run on the loop. The same
 * class also wraps a client connection's owner loop ({@link #ofOwner}): that loop then reads the client's own socket
 * and owns its media, as the media loop does for the server.
 *
 * <p>When Vert.x does not run on NIO (a native transport), the loop cannot read our channels: {@link #adopt} then
 * returns false and the endpoint stays on its {@code UdpReader} thread, which hands SRTP to this loop (one hop).
 */
final class MediaLoop {
    private static final Logger LOG = Logger.getLogger(MediaLoop.class.getName());

    private static final String OWNER_KEY = MediaLoop.class.getName();

    private final ContextInternal context;
    private final EventLoop eventLoop;
    /** Readiness events that found datagrams, and datagrams read on the loop: batching shows as their ratio. */
    final LongAdder wakeups = new LongAdder();

    private MediaLoop(ContextInternal context) {
        this.context = context;
        this.eventLoop = context.nettyEventLoop();
    }

    /**
     * The event loop of {@code owner} as a media loop (cached in the context, one per context), for client
     * connections: their own sockets are then read on the owner's thread and their media runs to completion there
     * (the load generator's receive path). Null unless {@code owner} is an event-loop context.
     */
    static MediaLoop ofOwner(Context owner) {
        if (!(owner instanceof ContextInternal c) || !c.isEventLoopContext()) {
            return null;
        }
        MediaLoop l = c.get(OWNER_KEY);
        if (l == null) {
            l = new MediaLoop(c);
            c.put(OWNER_KEY, l);
        }
        return l;
    }

    /** A new media loop on the next event loop of {@code vertx}. */
    static MediaLoop create(Vertx vertx) {
        return new MediaLoop(((VertxInternal) vertx).createEventLoopContext());
    }

    Context context() {
        return context;
    }

    /** Whether the caller runs on this loop's thread (a thread comparison). */
    boolean inLoop() {
        return eventLoop.inEventLoop();
    }

    /**
     * Moves the reading of {@code e}'s channel from its {@code UdpReader} thread to this loop: the reader cancels its
     * key first, then the channel is registered on the loop's selector. False (nothing changed) if the event loop is
     * not an NIO loop.
     */
    boolean adopt(UdpEndpoint e) {
        if (!nio()) {
            return false;
        }
        byte[] scratch = new byte[UdpEndpoint.MAX_DATAGRAM];
        ByteBuffer rx = ByteBuffer.wrap(scratch);
        e.handOver(() -> register(e.channel(), v -> e.drain(rx, scratch), cancel -> e.readBy(cancel)));
        return true;
    }

    /**
     * Reads {@code channel} (non-blocking, not registered anywhere else) on this loop: on each readiness event
     * {@code onReadable} runs inside the media context and drains it. {@code registered} then gets the action that
     * stops the reading (it does not close the channel). False (nothing changed) if the event loop is not an NIO loop.
     * Used for the shared ports and, through {@link MediaEngine#readOnMediaLoop}, for the cluster's media relay.
     */
    boolean read(DatagramChannel channel, Handler<Void> onReadable, java.util.function.Consumer<Runnable> registered) {
        if (!nio()) {
            return false;
        }
        register(channel, onReadable, registered);
        return true;
    }

    private boolean nio() {
        return eventLoop instanceof IoEventLoop io && io.isCompatible(Handle.class);
    }

    private void register(DatagramChannel channel, Handler<Void> onReadable, java.util.function.Consumer<Runnable> registered) {
        ((IoEventLoop) eventLoop).register(new Handle(channel, onReadable)).addListener(f -> {
            if (!f.isSuccess()) {
                if (channel.isOpen()) { // a connection closed during the hand-over needs no word
                    LOG.log(Level.WARNING, "media loop could not register " + channel, f.cause());
                }
                return;
            }
            IoRegistration r = (IoRegistration) f.getNow();
            r.submit(NioIoOps.READ);
            registered.accept(() -> {
                r.cancel();
                eventLoop.execute(() -> { }); // a select soon: the cancelled key and its descriptor go at once
            });
        });
    }

    /** One channel on the loop's selector: on readiness, drains it (a bounded batch) inside the media context. */
    private final class Handle extends NioSelectableChannelIoHandle<DatagramChannel> {
        private final Handler<Void> drain;

        Handle(DatagramChannel channel, Handler<Void> drain) {
            super(channel);
            this.drain = drain;
        }

        @Override
        protected void handle(DatagramChannel channel, SelectionKey key) {
            wakeups.increment();
            try {
                context.dispatch(drain); // Vertx.currentContext() is the media context while packets run
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "media loop packet handler threw (continuing)", ex);
            }
        }
    }
}
