package org.janussfu.webrtc.datachannel;

/**
 * Counters of one {@link DataChannels} manager: what was opened and closed, and everything dropped instead of
 * thrown (malformed or unexpected DCEP, messages for unknown streams or unknown PPIDs, refused sends). Written by
 * the manager on the owning connection's context; plain fields, so other threads read them only as a rough gauge.
 */
public final class DataChannelStats {

    long channelsOpenedRemotely;
    long channelsOpenedLocally;
    long channelsClosed;
    long dcepMalformed;
    long dcepUnexpected;
    long dcepSendFailed;
    long openFailedNoStream;
    long messagesReceived;
    long messagesDroppedNoChannel;
    long messagesUnknownPpid;
    long partialMessagesReassembled;
    long partialMessagesDropped;
    long messagesSent;
    long sendDroppedNotOpen;
    long sendDroppedTooLarge;
    long sendDroppedBufferFull;

    /** Channels the peer opened with a DATA_CHANNEL_OPEN. */
    public long channelsOpenedRemotely() {
        return channelsOpenedRemotely;
    }

    /** Channels we opened (explicitly or lazily by label). */
    public long channelsOpenedLocally() {
        return channelsOpenedLocally;
    }

    public long channelsClosed() {
        return channelsClosed;
    }

    /** PPID 50 messages that did not parse (RFC 8832 §5). */
    public long dcepMalformed() {
        return dcepMalformed;
    }

    /** Well-formed DCEP that made no sense here: OPEN on a stream in use, ACK for no pending OPEN. */
    public long dcepUnexpected() {
        return dcepUnexpected;
    }

    /** OPEN or ACK the SCTP transport refused to queue. */
    public long dcepSendFailed() {
        return dcepSendFailed;
    }

    /** Local opens refused because no stream id of our parity was free. */
    public long openFailedNoStream() {
        return openFailedNoStream;
    }

    /** User messages delivered to the owner. */
    public long messagesReceived() {
        return messagesReceived;
    }

    /** User messages on a stream without an open channel. */
    public long messagesDroppedNoChannel() {
        return messagesDroppedNoChannel;
    }

    /** Messages with a PPID that is neither DCEP nor a WebRTC user PPID. */
    public long messagesUnknownPpid() {
        return messagesUnknownPpid;
    }

    /** Messages rebuilt from the deprecated partial PPIDs 52/54. */
    public long partialMessagesReassembled() {
        return partialMessagesReassembled;
    }

    /** Partial (52/54) messages dropped because they grew beyond the reassembly limit. */
    public long partialMessagesDropped() {
        return partialMessagesDropped;
    }

    /** User messages handed to the SCTP transport. */
    public long messagesSent() {
        return messagesSent;
    }

    /** Sends on a channel that is not open (connecting, closing, closed, or not ours). */
    public long sendDroppedNotOpen() {
        return sendDroppedNotOpen;
    }

    /** Sends larger than the peer's maximum message size. */
    public long sendDroppedTooLarge() {
        return sendDroppedTooLarge;
    }

    /** Sends the SCTP transport refused, its send buffer being full: one slow receiver never stalls the others. */
    public long sendDroppedBufferFull() {
        return sendDroppedBufferFull;
    }
}
