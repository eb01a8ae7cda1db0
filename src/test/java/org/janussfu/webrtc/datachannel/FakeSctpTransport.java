package org.janussfu.webrtc.datachannel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.janussfu.webrtc.sctp.SctpTransport;

/**
 * An in-memory {@link SctpTransport} for the data-channel tests: messages go to the peer fake through a
 * {@link FakeSctpNetwork} queue, complete and in order, with their flags recorded. A byte budget stands in for the
 * send buffer (a message is "in flight" until the peer's delivery runs); stream resets are delivered to the peer as
 * {@code onStreamsReset}. Test thread only.
 */
final class FakeSctpTransport implements SctpTransport {

    /** One message handed to {@link #send}. */
    record Sent(int streamId, int ppid, byte[] data, boolean unordered, int maxRetransmits, int maxLifetimeMillis) {
    }

    final String name;
    final FakeSctpNetwork network;
    final List<Sent> sent = new ArrayList<>();
    final List<int[]> resets = new ArrayList<>();
    FakeSctpTransport peer;
    Listener listener;
    long sendBufferBytes = 1 << 20;
    int maxMessageSize = 256 * 1024;
    long refused;
    private long buffered;
    private boolean started;
    private boolean established;
    private boolean closed;

    FakeSctpTransport(FakeSctpNetwork network, String name) {
        this.network = network;
        this.name = name;
    }

    /** The factory {@link DataChannels} calls with its listener. */
    Function<Listener, SctpTransport> factory() {
        return l -> {
            listener = l;
            return this;
        };
    }

    /** Delivers a raw message to our listener as if it came off the wire (for garbage tests). */
    void inject(int streamId, int ppid, byte[] data) {
        listener.onMessage(streamId, ppid, data, 0, data.length);
    }

    @Override
    public void start() {
        started = true;
        if (peer.started && !established) {
            network.post(this::establish);
            network.post(peer::establish);
        }
    }

    private void establish() {
        if (!established && !closed) {
            established = true;
            listener.onEstablished();
        }
    }

    @Override
    public void receive(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("the fake carries messages, not packets");
    }

    @Override
    public boolean send(int streamId, int ppid, byte[] data, int off, int len, boolean unordered,
                        int maxRetransmits, int maxLifetimeMillis) {
        if (!established || closed || len > maxMessageSize || buffered + len > sendBufferBytes) {
            refused++;
            return false;
        }
        byte[] copy = Arrays.copyOfRange(data, off, off + len);
        sent.add(new Sent(streamId, ppid, copy, unordered, maxRetransmits, maxLifetimeMillis));
        buffered += len;
        network.post(() -> {
            buffered -= len;
            if (!peer.closed) {
                peer.listener.onMessage(streamId, ppid, copy, 0, copy.length);
            }
        });
        return true;
    }

    @Override
    public void resetStreams(int[] streamIds) {
        int[] ids = streamIds.clone();
        resets.add(ids);
        network.post(() -> {
            if (!peer.closed) {
                peer.listener.onStreamsReset(ids);
            }
        });
    }

    @Override
    public long bufferedAmount() {
        return buffered;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public boolean isEstablished() {
        return established && !closed;
    }

    @Override
    public void close() {
        abort("shutdown");
    }

    @Override
    public void abort(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        listener.onClosed(reason);
        network.post(() -> {
            if (!peer.closed) {
                peer.closed = true;
                peer.listener.onClosed("peer: " + reason);
            }
        });
    }
}
