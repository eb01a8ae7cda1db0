package org.janussfu.webrtc.datachannel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.sctp.SctpTransport;

/**
 * The data channels of one peer connection, on top of its SCTP association (RFC 8831) with in-band negotiation by
 * DCEP (RFC 8832). Owned by the connection; single owner: every method is called, and every
 * {@link DataChannelListener} callback made, on the connection's context, the same one that owns the
 * {@link SctpTransport}. No locks; bad network input is dropped and counted in {@link #stats()}, never thrown.
 *
 * <p>Stream ids: the DTLS client opens channels on even ids, the server on odd ones (RFC 8832 §6), so both sides can
 * open at once. A channel uses its id in both directions (RFC 8831 §6.5). A local open sends DATA_CHANNEL_OPEN and
 * the channel is usable at once; until the ACK arrives its messages go out ordered (RFC 8832 §6). A remote OPEN is
 * answered with DATA_CHANNEL_ACK on the same stream. Closing resets our outgoing stream; when the peer resets its
 * own the channel is closed (RFC 8831 §6.7), and a reset started by the peer is answered with ours.
 *
 * <p>Messages: PPID 51 text, 53 binary, 56/57 empty text/binary sent as one ignored byte (RFC 8831 §6.6). The
 * deprecated partial PPIDs 52/54 are reassembled up to {@link #PARTIAL_LIMIT} bytes. Buffering is the transport's:
 * when {@link SctpTransport#send} refuses, the message is dropped and counted, so one slow receiver never stalls
 * the senders relaying to it.
 */
public final class DataChannels {

    /** Streams this side allocates from by default (ids 0..1023), as Janus does; incoming ids may be any. */
    public static final int DEFAULT_MAX_STREAMS = 1024;
    /** The largest stream id (65535 is reserved, RFC 8831 §6.5 via RFC 9260 §3.3.1). */
    public static final int MAX_STREAM_ID = 65534;
    /** Priority of locally opened channels: "normal" (RFC 8831 §6.4). */
    public static final int DEFAULT_PRIORITY = 256;
    /** Upper bound of a message rebuilt from the deprecated partial PPIDs 52/54. */
    public static final int PARTIAL_LIMIT = 256 * 1024;

    private static final byte[] EMPTY_PAYLOAD = {0};

    private final DtlsRole role;
    private final int maxStreams;
    private final DataChannelListener listener;
    private final SctpTransport transport;
    /** Channels by stream id, in order of creation (so label lookups find the oldest first). */
    private final Map<Integer, DataChannel> channels = new LinkedHashMap<>();
    private final Collection<DataChannel> channelsView = Collections.unmodifiableCollection(channels.values());
    private final DataChannelStats stats = new DataChannelStats();
    private boolean associationClosed;

    /**
     * @param role       our DTLS role, which decides the parity of the stream ids we allocate (RFC 8832 §6)
     * @param listener   the owner's callbacks
     * @param transports builds the SCTP transport given the listener it must report to (so the transport can take
     *                   its listener at construction)
     */
    public DataChannels(DtlsRole role, DataChannelListener listener,
                        Function<SctpTransport.Listener, SctpTransport> transports) {
        this(role, DEFAULT_MAX_STREAMS, listener, transports);
    }

    /** As above, allocating local stream ids below {@code maxStreams} (the streams negotiated in INIT). */
    public DataChannels(DtlsRole role, int maxStreams, DataChannelListener listener,
                        Function<SctpTransport.Listener, SctpTransport> transports) {
        if (maxStreams < 2 || maxStreams > MAX_STREAM_ID + 1) {
            throw new IllegalArgumentException("maxStreams out of range: " + maxStreams);
        }
        this.role = Objects.requireNonNull(role, "role");
        this.maxStreams = maxStreams;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.transport = Objects.requireNonNull(transports.apply(new SctpEvents()), "transport");
    }

    /** The SCTP transport underneath (to start it, feed it packets, close it). */
    public SctpTransport transport() {
        return transport;
    }

    public DtlsRole role() {
        return role;
    }

    public DataChannelStats stats() {
        return stats;
    }

    public boolean isEstablished() {
        return transport.isEstablished();
    }

    /** The channel on this stream id, or null. */
    public DataChannel channel(int streamId) {
        return channels.get(streamId);
    }

    /** All channels not yet closed, oldest first; a live read-only view. */
    public Collection<DataChannel> channels() {
        return channelsView;
    }

    /**
     * The oldest open channel with this label, or null. naf-janus-adapter relays by label ("reliable",
     * "unreliable"), and labels need not be unique (RFC 8831 §6.4), so the first one wins.
     */
    public DataChannel channelByLabel(String label) {
        for (DataChannel c : channels.values()) {
            if (c.state == DataChannel.State.OPEN && c.label().equals(label)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Opens a channel from this side: picks the lowest free stream id of our parity, sends DATA_CHANNEL_OPEN
     * (RFC 8832 §6) and returns the channel, usable at once. Before the association is up the channel waits in
     * {@link DataChannel.State#CONNECTING} and its OPEN goes out when the association is established.
     *
     * @param maxRetransmits    -1, or the retransmission limit (RFC 8831 §6.1)
     * @param maxLifetimeMillis -1, or the lifetime limit; at most one of the two is set
     * @return the channel, or null when no stream id is free or the OPEN could not be queued (both counted), or the
     *         association has ended
     * @throws IllegalArgumentException both limits set, or label/protocol longer than 65535 UTF-8 bytes
     */
    public DataChannel open(String label, String protocol, boolean ordered, int maxRetransmits,
                            int maxLifetimeMillis) {
        DcepChannelType type = DcepChannelType.of(ordered, maxRetransmits, maxLifetimeMillis);
        if (associationClosed) {
            return null;
        }
        int streamId = freeStreamId();
        if (streamId < 0) {
            stats.openFailedNoStream++;
            return null;
        }
        DataChannel channel = new DataChannel(streamId, label == null ? "" : label, protocol == null ? "" : protocol,
                type, DEFAULT_PRIORITY, type.limitsRetransmits() ? maxRetransmits : -1,
                type.limitsLifetime() ? maxLifetimeMillis : -1, true, DataChannel.State.CONNECTING);
        byte[] openMessage = encodeOpen(channel); // validates label and protocol before anything changes
        channels.put(streamId, channel);
        stats.channelsOpenedLocally++;
        if (transport.isEstablished() && !sendOpen(channel, openMessage)) {
            return null;
        }
        return channel;
    }

    /**
     * Sends one user message: PPID 51 (text) or 53 (binary), or 56/57 with one ignored byte when {@code len} is 0
     * (RFC 8831 §6.6), with the channel's ordering and reliability. Ordered until a local channel's ACK arrives
     * (RFC 8832 §6).
     *
     * @return false (counted) when the channel is not open, the message exceeds the peer's maximum message size, or
     *         the transport's send buffer is full
     */
    public boolean send(DataChannel channel, boolean binary, byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data == null ? 0 : data.length);
        if (channel == null || channel.state != DataChannel.State.OPEN
                || channels.get(channel.streamId()) != channel) {
            stats.sendDroppedNotOpen++;
            if (channel != null) {
                channel.sendsDropped++;
            }
            return false;
        }
        if (len > transport.maxMessageSize()) {
            stats.sendDroppedTooLarge++;
            channel.sendsDropped++;
            return false;
        }
        int ppid = DataChannelPpid.forMessage(binary, len);
        byte[] payload = len == 0 ? EMPTY_PAYLOAD : data;
        int payloadOff = len == 0 ? 0 : off;
        int payloadLen = len == 0 ? EMPTY_PAYLOAD.length : len;
        boolean unordered = !channel.ordered() && (!channel.locallyOpened() || channel.acked);
        if (!transport.send(channel.streamId(), ppid, payload, payloadOff, payloadLen, unordered,
                channel.maxRetransmits(), channel.maxLifetimeMillis())) {
            stats.sendDroppedBufferFull++;
            channel.sendsDropped++;
            return false;
        }
        stats.messagesSent++;
        channel.messagesSent++;
        channel.bytesSent += len;
        return true;
    }

    /**
     * Sends on the open channel with this label, first opening a reliable ordered one with this label and protocol
     * when there is none, as the Janus core does for data relayed by a plugin ({@code janus_sctp_send_data}).
     *
     * @return false (counted) when no channel could be opened or the send was refused
     */
    public boolean sendOnLabel(String label, String protocol, boolean binary, byte[] data, int off, int len) {
        DataChannel channel = channelByLabel(label);
        if (channel == null) {
            channel = open(label, protocol, true, -1, -1);
        }
        return send(channel, binary, data, off, len);
    }

    /**
     * Closes a channel by resetting our outgoing stream (RFC 8831 §6.7); it is reported closed once the peer has
     * reset its outgoing stream too. A channel still waiting for the association closes at once.
     */
    public void close(DataChannel channel) {
        if (channel == null || channels.get(channel.streamId()) != channel) {
            return;
        }
        if (channel.state == DataChannel.State.CONNECTING) {
            channels.remove(channel.streamId());
            markClosed(channel);
            return;
        }
        if (channel.state == DataChannel.State.OPEN) {
            channel.state = DataChannel.State.CLOSING;
            transport.resetStreams(new int[] {channel.streamId()});
        }
    }

    private int freeStreamId() {
        for (int id = role == DtlsRole.CLIENT ? 0 : 1; id < maxStreams; id += 2) {
            if (!channels.containsKey(id)) {
                return id;
            }
        }
        return -1;
    }

    private static byte[] encodeOpen(DataChannel c) {
        long reliability = Math.max(0, Math.max(c.maxRetransmits(), c.maxLifetimeMillis()));
        return DcepMessage.open(c.type(), c.priority(), reliability, c.label(), c.protocol()).encode();
    }

    /** Queues the OPEN (ordered, reliable: RFC 8832 §6) and makes the channel usable; false when refused. */
    private boolean sendOpen(DataChannel channel, byte[] openMessage) {
        if (!transport.send(channel.streamId(), DataChannelPpid.DCEP, openMessage, 0, openMessage.length, false, -1,
                -1)) {
            stats.dcepSendFailed++;
            channels.remove(channel.streamId());
            markClosed(channel);
            return false;
        }
        channel.state = DataChannel.State.OPEN;
        listener.onChannelOpen(channel);
        return true;
    }

    private void markClosed(DataChannel channel) {
        boolean wasUsable = channel.state == DataChannel.State.OPEN || channel.state == DataChannel.State.CLOSING;
        channel.state = DataChannel.State.CLOSED;
        channel.partial = null;
        stats.channelsClosed++;
        if (wasUsable) {
            listener.onChannelClosed(channel);
        }
    }

    private void onDcep(int streamId, byte[] data, int off, int len) {
        DcepMessage message = DcepMessage.parse(data, off, len);
        if (message == null) {
            stats.dcepMalformed++;
            return;
        }
        DataChannel existing = channels.get(streamId);
        if (message.isAck()) {
            if (existing == null || !existing.locallyOpened() || existing.acked) {
                stats.dcepUnexpected++;
                return;
            }
            existing.acked = true;
            return;
        }
        if (existing != null || streamId > MAX_STREAM_ID) {
            stats.dcepUnexpected++;
            return;
        }
        DcepChannelType type = message.channelType();
        int reliability = (int) Math.min(Integer.MAX_VALUE, message.reliabilityParameter());
        DataChannel channel = new DataChannel(streamId, message.label(), message.protocol(), type,
                message.priority(), type.limitsRetransmits() ? reliability : -1,
                type.limitsLifetime() ? reliability : -1, false, DataChannel.State.OPEN);
        channels.put(streamId, channel);
        stats.channelsOpenedRemotely++;
        byte[] ack = DcepMessage.ack().encode();
        if (!transport.send(streamId, DataChannelPpid.DCEP, ack, 0, ack.length, false, -1, -1)) {
            // The peer may already send on the channel (RFC 8832 §6), so it stays open without the ACK.
            stats.dcepSendFailed++;
        }
        listener.onChannelOpen(channel);
    }

    private void onUserMessage(int streamId, int ppid, byte[] data, int off, int len) {
        DataChannel channel = channels.get(streamId);
        if (channel == null || channel.state != DataChannel.State.OPEN) {
            stats.messagesDroppedNoChannel++;
            return;
        }
        if (channel.locallyOpened() && !channel.acked) {
            channel.acked = true; // a user message implies the peer processed our OPEN (as libwebrtc treats it)
        }
        switch (ppid) {
            case DataChannelPpid.STRING, DataChannelPpid.BINARY -> {
                if (channel.partial != null && channel.partial.pending()) {
                    finishPartial(channel, ppid == DataChannelPpid.BINARY, data, off, len);
                } else {
                    deliver(channel, ppid == DataChannelPpid.BINARY, data, off, len);
                }
            }
            case DataChannelPpid.STRING_EMPTY, DataChannelPpid.BINARY_EMPTY ->
                    deliver(channel, ppid == DataChannelPpid.BINARY_EMPTY, data, off, 0);
            default -> appendPartial(channel, data, off, len); // 52 / 54, deprecated (RFC 8831 §8)
        }
    }

    private void appendPartial(DataChannel channel, byte[] data, int off, int len) {
        if (channel.partial == null) {
            channel.partial = new PartialMessageAssembler(PARTIAL_LIMIT);
        }
        channel.partial.append(data, off, len); // an overflow is counted when the final part arrives
    }

    private void finishPartial(DataChannel channel, boolean binary, byte[] data, int off, int len) {
        byte[] whole = channel.partial.finish(data, off, len);
        if (whole == null) {
            stats.partialMessagesDropped++;
            return;
        }
        stats.partialMessagesReassembled++;
        deliver(channel, binary, whole, 0, whole.length);
    }

    private void deliver(DataChannel channel, boolean binary, byte[] data, int off, int len) {
        stats.messagesReceived++;
        channel.messagesReceived++;
        channel.bytesReceived += len;
        listener.onMessage(channel, binary, data, off, len);
    }

    /** The transport's callbacks, kept off the public API. */
    private final class SctpEvents implements SctpTransport.Listener {

        @Override
        public void onEstablished() {
            List<DataChannel> waiting = new ArrayList<>();
            for (DataChannel c : channels.values()) {
                if (c.state == DataChannel.State.CONNECTING) {
                    waiting.add(c);
                }
            }
            for (DataChannel c : waiting) {
                sendOpen(c, encodeOpen(c));
            }
            listener.onEstablished();
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] data, int off, int len) {
            if (data == null || off < 0 || len < 0 || off > data.length - len) {
                stats.messagesUnknownPpid++;
                return;
            }
            switch (ppid) {
                case DataChannelPpid.DCEP -> onDcep(streamId, data, off, len);
                case DataChannelPpid.STRING, DataChannelPpid.BINARY, DataChannelPpid.STRING_EMPTY,
                        DataChannelPpid.BINARY_EMPTY, DataChannelPpid.STRING_PARTIAL,
                        DataChannelPpid.BINARY_PARTIAL -> onUserMessage(streamId, ppid, data, off, len);
                default -> stats.messagesUnknownPpid++;
            }
        }

        @Override
        public void onStreamsReset(int[] streamIds) {
            List<DataChannel> closed = new ArrayList<>();
            int[] answer = new int[streamIds.length];
            int answers = 0;
            for (int id : streamIds) {
                DataChannel c = channels.get(id);
                if (c == null || c.state == DataChannel.State.CONNECTING) {
                    continue;
                }
                channels.remove(id);
                if (c.state == DataChannel.State.OPEN) {
                    answer[answers++] = id; // the peer closed: reset our side too (RFC 8831 §6.7)
                }
                closed.add(c);
            }
            if (answers > 0) {
                transport.resetStreams(Arrays.copyOf(answer, answers));
            }
            for (DataChannel c : closed) {
                markClosed(c);
            }
        }

        @Override
        public void onClosed(String reason) {
            associationClosed = true;
            List<DataChannel> all = new ArrayList<>(channels.values());
            channels.clear();
            for (DataChannel c : all) {
                markClosed(c);
            }
            listener.onAssociationClosed(reason);
        }
    }
}
