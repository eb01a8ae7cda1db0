package org.janussfu.webrtc.datachannel;

/**
 * What {@link DataChannels} reports to its owner (the peer connection or the plugin glue above it). Every call is
 * made on the owning connection's context, from inside the SCTP transport's callbacks or from the manager's own
 * methods; implementations must not block. Arrays passed to {@link #onMessage} belong to the listener.
 */
public interface DataChannelListener {

    /**
     * A channel became usable: the peer opened it with a DATA_CHANNEL_OPEN (we answered with the ACK), or we opened
     * it ourselves and sent the OPEN ({@link DataChannel#locallyOpened()} tells which).
     */
    void onChannelOpen(DataChannel channel);

    /** One user message; {@code len} is 0 for an empty message (PPID 56/57, RFC 8831 §6.6). */
    void onMessage(DataChannel channel, boolean binary, byte[] data, int off, int len);

    /** The channel is closed: both streams reset (RFC 8831 §6.7) or the association ended. */
    void onChannelClosed(DataChannel channel);

    /** The SCTP association is up; channels can be opened and used. */
    default void onEstablished() {
    }

    /** The SCTP association ended; every channel has been reported closed before this. */
    default void onAssociationClosed(String reason) {
    }
}
