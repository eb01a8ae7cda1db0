package org.janussfu.transport;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.transport.Transport;

import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's NIO transport with one change: TCP listeners are {@link ParkingServerChannel}s, which hold a connection
 * until its first byte ({@link SilentConnections}); {@link #forLoadGenerator} instead changes only how the event
 * loops wait for timers ({@link WholeMillisecondSelect}). Everything else — event loops, client and datagram channels,
 * socket options — is Vert.x's own NIO transport, so the media loop (decision 0013) still registers its UDP
 * channels on the event loops' NIO selectors. Immutable; handed to {@code Vertx.builder().withTransport} once.
 */
@SuppressWarnings("deprecation") // InternetProtocolFamily is what Vert.x 5.2's SPI still takes
public final class ParkingTransport implements Transport {
    private final Spi spi;

    /** The server's: listeners park silent connections; the event loops are Vert.x's NIO loops unchanged. */
    public ParkingTransport(SilentConnections silent) {
        this(silent, false);
    }

    private ParkingTransport(SilentConnections silent, boolean wholeMillisecondTimers) {
        this.spi = new Spi(io.vertx.core.impl.transports.NioTransport.INSTANCE, silent, wholeMillisecondTimers);
    }

    /**
     * The load generator's: no parking (it listens for nothing), and event loops that wait for timers in whole
     * milliseconds ({@link WholeMillisecondSelect}). A room of 15 gives the generator ~750 send timers a second on
     * two loops, and Netty's NIO loop polls for up to 0.5 ms before each: the generator measured 0.38 / 0.36 core
     * with this against 0.46 / 0.43 without (docs/performance.md). The server keeps Netty's loops: there it measured
     * no gain (idle-500, room-15).
     */
    public static ParkingTransport forLoadGenerator() {
        return new ParkingTransport(null, true);
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Throwable unavailabilityCause() {
        return null;
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return spi;
    }

    /** The SPI: NIO's, delegated, with the server channel (parking) or the loops' I/O handler (whole ms) replaced. */
    private record Spi(io.vertx.core.spi.transport.Transport nio, SilentConnections silent, boolean wholeMs)
            implements io.vertx.core.spi.transport.Transport {
        @Override
        public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
            return domainSocket || silent == null ? nio.serverChannelFactory(domainSocket)
                    : () -> new ParkingServerChannel(silent);
        }

        @Override
        public boolean supportsDomainSockets() {
            return nio.supportsDomainSockets();
        }

        @Override
        public boolean supportFileRegion() {
            return nio.supportFileRegion();
        }

        @Override
        public boolean isAvailable() {
            return nio.isAvailable();
        }

        @Override
        public Throwable unavailabilityCause() {
            return nio.unavailabilityCause();
        }

        @Override
        public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
            return nio.convert(address);
        }

        @Override
        public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
            return nio.convert(address);
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return wholeMs ? WholeMillisecondSelect.factory(nio.ioHandlerFactory()) : nio.ioHandlerFactory();
        }

        /** Whole-ms timers: what the SPI's default builds (it ignores {@code type}, {@code ioRatio}), on our handlers. */
        @Override
        public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory factory, int ioRatio) {
            return wholeMs ? new MultiThreadIoEventLoopGroup(threads, factory, ioHandlerFactory())
                    : nio.eventLoopGroup(type, threads, factory, ioRatio);
        }

        @Override
        public DatagramChannel datagramChannel(InternetProtocolFamily family) {
            return nio.datagramChannel(family);
        }

        @Override
        public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
            return nio.datagramChannelFactory();
        }

        @Override
        public ChannelFactory<? extends io.netty.channel.Channel> channelFactory(boolean domainSocket) {
            return nio.channelFactory(domainSocket);
        }

        @Override
        public void configure(DatagramChannel channel, DatagramSocketOptions options) {
            nio.configure(channel, options);
        }

        @Override
        public void configure(TcpConfig options, boolean domainSocket, Bootstrap bootstrap) {
            nio.configure(options, domainSocket, bootstrap);
        }

        @Override
        public void configure(TcpConfig options, boolean domainSocket, ServerBootstrap bootstrap) {
            nio.configure(options, domainSocket, bootstrap);
        }
    }
}
