package org.janussfu.transport;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket that holds each accepted connection until its first byte (a user-space TCP_DEFER_ACCEPT),
 * and only then hands it to the server's pipeline — Vert.x's HTTP/WebSocket set-up on an event loop. A connection
 * that never speaks costs the acceptor one socket and one key on its selector, and is closed (RST) after
 * {@code transport.silent-timeout}, or for a newcomer when {@code transport.max-silent-connections} are held
 * (oldest first). So a flood of idle connections never queues ahead of a client that speaks: the event loops only
 * ever see connections with a request waiting. Created by {@link ParkingTransport}, one per listening port; owned
 * by its acceptor event loop, on which every method and callback runs (the parked list needs no synchronisation;
 * the shared {@link SilentConnections} budget is atomic).
 */
final class ParkingServerChannel extends NioServerSocketChannel {
    private static final int PARKED = 0;
    private static final int PROMOTED = 1;
    private static final int GONE = 2;

    private final SilentConnections budget;
    /** Parked connections in accept order, which is deadline order; promoted and closed ones are skipped lazily. */
    private final ArrayDeque<Parked> fifo = new ArrayDeque<>();
    private ScheduledFuture<?> sweeper;

    ParkingServerChannel(SilentConnections budget) {
        this.budget = budget;
    }

    /** Accepts one connection and parks it; Netty's read loop calls this until it returns 0 or its batch is done. */
    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel ch = javaChannel().accept();
        if (ch == null) {
            return 0;
        }
        try {
            park(ch);
        } catch (IOException | RuntimeException e) {
            reset(ch);
        }
        return 1; // nothing goes up the pipeline yet: the connection is passed on when it speaks
    }

    private void park(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        if (!budget.tryHold()) { // all places held: the oldest of ours makes room, unless the other listener holds them
            Parked oldest = oldestParked();
            if (oldest != null) {
                oldest.close(false);
            }
            if (oldest == null || !budget.tryHold()) {
                reset(ch);
                budget.closedRefused();
                return;
            }
        }
        Parked p = new Parked(ch, System.nanoTime());
        fifo.add(p);
        if (fifo.size() > 2 * budget.max + 64) {
            fifo.removeIf(x -> x.state != PARKED);
        }
        if (sweeper == null) {
            sweeper = eventLoop().scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        }
        ((IoEventLoop) eventLoop()).register(p).addListener(f -> {
            if (!f.isSuccess()) {
                p.close(false);
                return;
            }
            p.registration = (IoRegistration) f.getNow();
            if (p.state == PARKED) {
                p.registration.submit(NioIoOps.READ);
            } else {
                p.registration.cancel();
            }
        });
    }

    private Parked oldestParked() {
        for (Parked p; (p = fifo.poll()) != null; ) {
            if (p.state == PARKED) {
                return p;
            }
        }
        return null;
    }

    /** Once a second: closes connections parked for longer than the silent timeout (the head of the FIFO). */
    private void sweep() {
        long now = System.nanoTime();
        for (Parked p; (p = fifo.peek()) != null; ) {
            if (p.state != PARKED) {
                fifo.poll();
            } else if (now - p.acceptedAt >= budget.timeoutNanos) {
                fifo.poll();
                p.close(true);
            } else {
                break;
            }
        }
    }

    @Override
    protected void doClose() throws Exception {
        super.doClose();
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (Parked p; (p = fifo.poll()) != null; ) {
            if (p.discard()) {
                budget.released();
            }
        }
    }

    /** Closes with an RST (SO_LINGER 0): an idle connection we drop needs no orderly shutdown or TIME_WAIT. */
    private static void reset(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        try {
            ch.close();
        } catch (IOException e) {
            // gone
        }
    }

    /** One parked connection: its socket, when it was accepted, its key on the acceptor's selector. */
    private final class Parked extends NioSelectableChannelIoHandle<SocketChannel> {
        final SocketChannel channel;
        final long acceptedAt;
        IoRegistration registration;
        int state = PARKED;

        Parked(SocketChannel channel, long acceptedAt) {
            super(channel);
            this.channel = channel;
            this.acceptedAt = acceptedAt;
        }

        /** Readable: the first bytes (or the peer's FIN/RST) arrived — pass it on, as Netty's accept loop would. */
        @Override
        protected void handle(SocketChannel ch, SelectionKey key) {
            if (state != PARKED) {
                return;
            }
            state = PROMOTED;
            budget.promoted();
            cancel();
            NioSocketChannel child;
            try {
                child = new NioSocketChannel(ParkingServerChannel.this, ch);
            } catch (RuntimeException e) {
                reset(ch);
                return;
            }
            pipeline().fireChannelRead(child);
            pipeline().fireChannelReadComplete();
        }

        void close(boolean byDeadline) {
            if (discard()) {
                budget.closed(byDeadline);
            }
        }

        /** If still parked: forget it and reset its socket; true if it was (the caller gives its place back). */
        boolean discard() {
            if (state != PARKED) {
                return false;
            }
            state = GONE;
            cancel();
            reset(channel);
            return true;
        }

        void cancel() {
            if (registration != null) {
                registration.cancel();
            }
        }

        @Override
        public void close() {
            // the event loop shuts down: ParkingServerChannel.doClose has reset every parked socket
        }
    }
}
