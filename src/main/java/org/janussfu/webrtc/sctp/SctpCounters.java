package org.janussfu.webrtc.sctp;

/**
 * Counters of one association, for metrics and tests: packets in and out, what was dropped and why, and the
 * retransmission machinery's activity. Plain long fields written by the engine on the owning context; readers on
 * other threads may see slightly stale values (no locks, by design).
 */
public final class SctpCounters {

    long packetsIn;
    long packetsOut;
    long badChecksums;
    long malformedPackets;
    long malformedChunks;
    long unknownChunks;
    long badVerificationTags;
    long wrongPorts;
    long outOfStateChunks;
    long invalidCookies;
    long messagesSent;
    long messagesReceived;
    long dataChunksSent;
    long dataChunksReceived;
    long duplicateTsns;
    long retransmissions;
    long fastRetransmits;
    long t3Expirations;
    long abandonedMessages;
    long forwardTsnsSent;
    long forwardTsnsReceived;
    long dropsSendBufferFull;
    long dropsMessageTooLarge;
    long dropsReceiveWindow;
    long dropsReceivedTooLarge;
    long dropsInvalidStream;
    long dropsTsnOutOfWindow;
    long heartbeatsSent;
    long streamResetsSent;
    long streamResetsReceived;
    long internalErrors;
    long listenerErrors;

    public long packetsIn() { return packetsIn; }
    public long packetsOut() { return packetsOut; }
    public long badChecksums() { return badChecksums; }
    public long malformedPackets() { return malformedPackets; }
    public long malformedChunks() { return malformedChunks; }
    public long unknownChunks() { return unknownChunks; }
    public long badVerificationTags() { return badVerificationTags; }
    public long wrongPorts() { return wrongPorts; }
    public long outOfStateChunks() { return outOfStateChunks; }
    public long invalidCookies() { return invalidCookies; }
    public long messagesSent() { return messagesSent; }
    public long messagesReceived() { return messagesReceived; }
    public long dataChunksSent() { return dataChunksSent; }
    public long dataChunksReceived() { return dataChunksReceived; }
    public long duplicateTsns() { return duplicateTsns; }
    public long retransmissions() { return retransmissions; }
    public long fastRetransmits() { return fastRetransmits; }
    public long t3Expirations() { return t3Expirations; }
    public long abandonedMessages() { return abandonedMessages; }
    public long forwardTsnsSent() { return forwardTsnsSent; }
    public long forwardTsnsReceived() { return forwardTsnsReceived; }
    /** {@code send} refused: the send buffer was full. */
    public long dropsSendBufferFull() { return dropsSendBufferFull; }
    /** {@code send} refused: larger than the max message size, or empty with a non-empty PPID. */
    public long dropsMessageTooLarge() { return dropsMessageTooLarge; }
    /** DATA dropped because reassembly memory (the receive window) was full. */
    public long dropsReceiveWindow() { return dropsReceiveWindow; }
    /** Reassembled messages discarded for exceeding the max message size. */
    public long dropsReceivedTooLarge() { return dropsReceivedTooLarge; }
    public long dropsInvalidStream() { return dropsInvalidStream; }
    /** DATA whose TSN lies too far beyond the cumulative ack point to be tracked. */
    public long dropsTsnOutOfWindow() { return dropsTsnOutOfWindow; }
    public long heartbeatsSent() { return heartbeatsSent; }
    public long streamResetsSent() { return streamResetsSent; }
    public long streamResetsReceived() { return streamResetsReceived; }
    /** Bugs caught by the last-resort guard in {@code receive} and the timers; should stay 0. */
    public long internalErrors() { return internalErrors; }
    /** Exceptions thrown by the listener's callbacks, caught so that they cannot corrupt the engine. */
    public long listenerErrors() { return listenerErrors; }

    @Override
    public String toString() {
        return "in=" + packetsIn + " out=" + packetsOut + " badCrc=" + badChecksums + " malformed=" + malformedPackets
                + "/" + malformedChunks + " badTag=" + badVerificationTags + " rtx=" + retransmissions + " fastRtx="
                + fastRetransmits + " t3=" + t3Expirations + " abandoned=" + abandonedMessages + " dupTsn="
                + duplicateTsns + " rwndDrops=" + dropsReceiveWindow + " internal=" + internalErrors;
    }
}
