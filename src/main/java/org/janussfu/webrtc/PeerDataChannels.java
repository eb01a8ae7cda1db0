package org.janussfu.webrtc;

import org.janussfu.webrtc.datachannel.DataChannel;
import org.janussfu.webrtc.datachannel.DataChannelListener;
import org.janussfu.webrtc.datachannel.DataChannels;
import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.dtls.DtlsTransport;
import org.janussfu.webrtc.sctp.SctpAssociation;
import org.janussfu.webrtc.sctp.SctpConfig;
import org.janussfu.webrtc.sctp.VertxSctpClock;

import java.util.logging.Logger;

/**
 * The data channels of one {@link PeerConnection} (RFC 8831): the SCTP association over DTLS (RFC 8261) started
 * once DTLS is up when the negotiated SDPs accepted an application m-line, its {@link DataChannels}, and the
 * message and byte counters of the connection and of the engine. Owned by the connection's owner context, where
 * every method runs; {@link #channels} is volatile for the readiness checks of other threads.
 */
final class PeerDataChannels {
    private static final Logger LOG = Logger.getLogger(PeerDataChannels.class.getName());

    private final MediaEngine engine;
    private final PeerConnection.Listener listener;
    private final ConnectionDetails details;
    /** The peer's SCTP port when the negotiated SDPs accepted an application m-line, else -1. */
    private int remoteSctpPort = -1;
    private int remoteMaxMessageSize = 65536;
    private volatile DataChannels channels;

    PeerDataChannels(MediaEngine engine, PeerConnection.Listener listener, ConnectionDetails details) {
        this.engine = engine;
        this.listener = listener;
        this.details = details;
    }

    void enable(int peerSctpPort, int peerMaxMessageSize) {
        this.remoteSctpPort = peerSctpPort;
        this.remoteMaxMessageSize = peerMaxMessageSize;
    }

    /** See {@link PeerConnection#sendData}; {@code up} is the connection's state. Counted either way. */
    boolean send(boolean up, String label, String protocol, boolean binary, byte[] data, int off, int len) {
        DataChannels c = channels;
        boolean sent = up && c != null && c.isEstablished() && c.sendOnLabel(label, protocol, binary, data, off, len);
        if (sent) {
            details.dataOut++;
            details.dataOutBytes += len;
            engine.sctpMessagesOut.increment();
            engine.sctpBytesOut.add(len);
        } else {
            engine.sctpMessagesDropped.increment();
        }
        return sent;
    }

    DataChannel open(String label, boolean ordered, int maxRetransmits) {
        DataChannels c = channels;
        return c == null || !c.isEstablished() ? null : c.open(label, "", ordered, maxRetransmits, -1);
    }

    SctpAssociation association() {
        DataChannels c = channels;
        return c == null ? null : (SctpAssociation) c.transport();
    }

    boolean ready() {
        DataChannels c = channels;
        return c != null && c.isEstablished();
    }

    /** One SCTP packet from the peer into the engine, which copies what it keeps. */
    void receive(byte[] buf, int off, int len) {
        DataChannels c = channels;
        if (c != null) {
            c.transport().receive(buf, off, len);
        }
    }

    void abort() {
        DataChannels c = channels;
        if (c != null) {
            c.transport().abort("peer connection closed");
        }
    }

    /** Right after DTLS is up: the SCTP association (simultaneous open) and its data channels, if negotiated. */
    void start(DtlsTransport dtls) {
        if (remoteSctpPort < 0 || channels != null) {
            return;
        }
        DtlsRole role = dtls.role();
        // An SCTP packet must fit one DTLS record (RFC 8261 §5): the record layer's limit, not the datagram's.
        int mtu = Math.min(SctpConfig.DEFAULT_MTU, dtls.sendLimit());
        SctpConfig sctp = SctpConfig.defaults().withMaxMessageSize(Math.max(1, remoteMaxMessageSize))
                .withSendBuffer(PeerConnection.SCTP_SEND_BUFFER).withMtu(mtu);
        DataChannels c = new DataChannels(role, new DataChannelListener() {
            @Override
            public void onChannelOpen(DataChannel channel) {
                LOG.fine(() -> "data channel open label=\"" + channel.label() + "\" stream=" + channel.streamId());
            }

            @Override
            public void onMessage(DataChannel channel, boolean binary, byte[] data, int off, int len) {
                details.dataIn++;
                details.dataInBytes += len;
                engine.sctpMessagesIn.increment();
                engine.sctpBytesIn.add(len);
                listener.onDataMessage(channel.label(), channel.protocol(), binary, data, off, len);
            }

            @Override
            public void onChannelClosed(DataChannel channel) {
                LOG.fine(() -> "data channel closed label=\"" + channel.label() + "\"");
            }
        }, events -> new SctpAssociation(PeerConnection.LOCAL_SCTP_PORT, remoteSctpPort,
                new VertxSctpClock(engine.vertx()), (b, o, n) -> dtls.send(b, o, n), events, sctp));
        channels = c;
        c.transport().start();
    }
}
