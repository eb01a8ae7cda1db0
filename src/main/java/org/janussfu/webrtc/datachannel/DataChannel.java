package org.janussfu.webrtc.datachannel;

/**
 * One WebRTC data channel (RFC 8831 §6): an SCTP stream id used in both directions, with the label, protocol,
 * ordering and reliability agreed through DCEP (RFC 8832). Created and owned by {@link DataChannels}, which changes
 * its state; everything happens on the owning connection's context, so the fields are plain. Owners read it and
 * hand it back to {@link DataChannels#send} and {@link DataChannels#close}.
 */
public final class DataChannel {

    /** Lifecycle of a channel. */
    public enum State {
        /** Opened locally before the SCTP association was up; the OPEN goes out once it is. Not usable yet. */
        CONNECTING,
        /** Usable in both directions (a local opener may send before the ACK, RFC 8832 §6). */
        OPEN,
        /** We reset our outgoing stream (RFC 8831 §6.7) and wait for the peer to reset its own. */
        CLOSING,
        /** Both directions reset, or the association ended. */
        CLOSED
    }

    private final int streamId;
    private final String label;
    private final String protocol;
    private final DcepChannelType type;
    private final int priority;
    private final int maxRetransmits;
    private final int maxLifetimeMillis;
    private final boolean locallyOpened;

    State state;
    boolean acked;
    long messagesSent;
    long bytesSent;
    long messagesReceived;
    long bytesReceived;
    long sendsDropped;
    /** Reassembly of the deprecated partial PPIDs 52/54, created on first use. */
    PartialMessageAssembler partial;

    DataChannel(int streamId, String label, String protocol, DcepChannelType type, int priority, int maxRetransmits,
                int maxLifetimeMillis, boolean locallyOpened, State state) {
        this.streamId = streamId;
        this.label = label;
        this.protocol = protocol;
        this.type = type;
        this.priority = priority;
        this.maxRetransmits = maxRetransmits;
        this.maxLifetimeMillis = maxLifetimeMillis;
        this.locallyOpened = locallyOpened;
        this.state = state;
    }

    /** The SCTP stream id, the same in both directions (RFC 8831 §6.5). */
    public int streamId() {
        return streamId;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return protocol;
    }

    public DcepChannelType type() {
        return type;
    }

    public boolean ordered() {
        return !type.unordered();
    }

    /** The retransmission limit, or -1 when the channel is not limited by retransmissions. */
    public int maxRetransmits() {
        return maxRetransmits;
    }

    /** The message lifetime in milliseconds, or -1 when the channel is not limited by time. */
    public int maxLifetimeMillis() {
        return maxLifetimeMillis;
    }

    /** The DCEP priority (RFC 8832 §5.1; RFC 8831 §6.4 names 128, 256, 512, 1024). */
    public int priority() {
        return priority;
    }

    /** True when this side sent the OPEN, false when the peer did. */
    public boolean locallyOpened() {
        return locallyOpened;
    }

    /** For a locally opened channel: the ACK (or, as libwebrtc does, a first user message) arrived. */
    public boolean acked() {
        return acked;
    }

    public State state() {
        return state;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    public long messagesSent() {
        return messagesSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long messagesReceived() {
        return messagesReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** Messages refused on this channel (not open, too large, or the SCTP send buffer full). */
    public long sendsDropped() {
        return sendsDropped;
    }

    @Override
    public String toString() {
        return "DataChannel[" + streamId + " '" + label + "' " + type + " " + state + "]";
    }
}
