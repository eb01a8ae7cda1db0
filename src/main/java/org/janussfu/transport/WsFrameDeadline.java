package org.janussfu.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A Netty handler at the head of one WebSocket's pipeline that notes when bytes of a not yet complete frame
 * started arriving: Netty's decoder holds a frame until its last byte (RFC 6455 §5.2), so a peer that sends a
 * frame header and then a byte every few seconds (slowloris) would hold that buffer and the connection forever,
 * untouched by the idle timeout. {@link WsConnection} clears the mark on each frame it receives and closes the
 * socket when a mark is older than {@code transport.ws.frame-timeout}. Runs on the channel's event loop, which
 * is the loop of the socket's Vert.x context, so its fields need no synchronisation.
 */
final class WsFrameDeadline extends ChannelInboundHandlerAdapter {
    static final String NAME = "janus-frame-deadline";
    private long pendingSinceNanos;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pendingSinceNanos == 0 && msg instanceof ByteBuf b && b.isReadable()) {
            pendingSinceNanos = System.nanoTime() | 1;
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole frame arrived: whatever was pending is complete. */
    void frameReceived() {
        pendingSinceNanos = 0;
    }

    /** Nanoseconds bytes of an incomplete frame have been waiting at {@code now}, or 0. */
    long pendingNanos(long now) {
        return pendingSinceNanos == 0 ? 0 : now - pendingSinceNanos;
    }
}
