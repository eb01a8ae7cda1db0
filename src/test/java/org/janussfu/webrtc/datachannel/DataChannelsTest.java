package org.janussfu.webrtc.datachannel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.janussfu.webrtc.dtls.DtlsRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DataChannels} over a pair of in-memory fake SCTP transports: DCEP both ways with both stream-id parities,
 * messages of every kind, close by stream reset, lookup and lazy open by label, garbage and back-pressure counted.
 */
class DataChannelsTest {

    private FakeSctpNetwork wire;
    private FakeSctpTransport clientSctp;
    private FakeSctpTransport serverSctp;
    private RecordingDataChannelListener clientEvents;
    private RecordingDataChannelListener serverEvents;
    private DataChannels client;
    private DataChannels server;

    @BeforeEach
    void connect() {
        wire = new FakeSctpNetwork();
        FakeSctpTransport[] pair = wire.pair();
        clientSctp = pair[0];
        serverSctp = pair[1];
        clientEvents = new RecordingDataChannelListener();
        serverEvents = new RecordingDataChannelListener();
        client = new DataChannels(DtlsRole.CLIENT, clientEvents, clientSctp.factory());
        server = new DataChannels(DtlsRole.SERVER, serverEvents, serverSctp.factory());
        clientSctp.start();
        serverSctp.start();
        wire.drain();
        assertEquals(1, clientEvents.established);
        assertEquals(1, serverEvents.established);
    }

    @Test
    void openAndAckBothWaysWithStreamParityByDtlsRole() {
        DataChannel c0 = client.open("reliable", "", true, -1, -1);
        DataChannel c2 = client.open("unreliable", "naf", false, 0, -1);
        DataChannel s1 = server.open("from-server", "", true, -1, -1);
        DataChannel s3 = server.open("timed", "", true, -1, 1500);
        assertEquals(0, c0.streamId());
        assertEquals(2, c2.streamId());
        assertEquals(1, s1.streamId());
        assertEquals(3, s3.streamId());
        assertTrue(c0.isOpen() && c0.locallyOpened() && !c0.acked(), "usable before the ACK");
        wire.drain();
        assertTrue(c0.acked() && c2.acked() && s1.acked() && s3.acked());

        DataChannel atServer = serverEvents.remoteOpened("unreliable");
        assertNotNull(atServer);
        assertEquals(2, atServer.streamId());
        assertEquals("naf", atServer.protocol());
        assertFalse(atServer.ordered());
        assertEquals(0, atServer.maxRetransmits());
        assertEquals(-1, atServer.maxLifetimeMillis());
        assertEquals(DcepChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, atServer.type());
        assertTrue(serverEvents.remoteOpened("reliable").ordered());

        DataChannel timed = clientEvents.remoteOpened("timed");
        assertEquals(3, timed.streamId());
        assertEquals(1500, timed.maxLifetimeMillis());
        assertEquals(-1, timed.maxRetransmits());
        assertEquals(2, server.stats().channelsOpenedRemotely());
        assertEquals(2, client.stats().channelsOpenedRemotely());

        // DCEP itself travels ordered and reliable on the channel's stream (RFC 8832 §6).
        for (FakeSctpTransport.Sent s : clientSctp.sent) {
            assertEquals(DataChannelPpid.DCEP, s.ppid());
            assertFalse(s.unordered());
            assertEquals(-1, s.maxRetransmits());
        }
        FakeSctpTransport.Sent ack = serverSctp.sent.stream().filter(s -> s.streamId() == 0).findFirst().orElseThrow();
        assertEquals(DataChannelPpid.DCEP, ack.ppid());
        assertArrayEquals(new byte[] {DcepMessage.TYPE_ACK}, ack.data());
    }

    @Test
    void textBinaryAndEmptyMessagesKeepTheirKind() {
        DataChannel reliable = client.open("reliable", "", true, -1, -1);
        wire.drain();
        byte[] text = "{\"dataType\":\"u\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] binary = {0, 1, 2, (byte) 0xff};
        assertTrue(client.send(reliable, false, text, 0, text.length));
        assertTrue(client.send(reliable, true, binary, 1, 3));
        assertTrue(client.send(reliable, false, text, 0, 0));
        assertTrue(client.send(reliable, true, binary, 0, 0));
        wire.drain();

        int n = clientSctp.sent.size();
        assertEquals(DataChannelPpid.STRING, clientSctp.sent.get(n - 4).ppid());
        assertEquals(DataChannelPpid.BINARY, clientSctp.sent.get(n - 3).ppid());
        assertEquals(DataChannelPpid.STRING_EMPTY, clientSctp.sent.get(n - 2).ppid());
        assertArrayEquals(new byte[] {0}, clientSctp.sent.get(n - 2).data(), "RFC 8831 §6.6: one byte");
        assertEquals(DataChannelPpid.BINARY_EMPTY, clientSctp.sent.get(n - 1).ppid());

        assertEquals(4, serverEvents.messages.size());
        RecordingDataChannelListener.Message m0 = serverEvents.messages.get(0);
        assertFalse(m0.binary());
        assertEquals("{\"dataType\":\"u\",\"data\":{}}", m0.text());
        assertEquals("reliable", m0.channel().label());
        assertTrue(serverEvents.messages.get(1).binary());
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, serverEvents.messages.get(1).data());
        assertFalse(serverEvents.messages.get(2).binary());
        assertEquals(0, serverEvents.messages.get(2).data().length);
        assertTrue(serverEvents.messages.get(3).binary());
        assertEquals(0, serverEvents.messages.get(3).data().length);

        // And back, on the channel the server learned from the OPEN.
        DataChannel atServer = serverEvents.remoteOpened("reliable");
        assertTrue(server.send(atServer, false, text, 0, text.length));
        wire.drain();
        assertEquals(1, clientEvents.messages.size());
        assertSame(reliable, clientEvents.messages.get(0).channel());
    }

    @Test
    void unorderedChannelSendsOrderedUntilTheAckThenUnordered() {
        DataChannel unreliable = client.open("unreliable", "", false, 0, -1);
        byte[] m = {42};
        assertTrue(client.send(unreliable, true, m, 0, 1));
        wire.drain();
        assertTrue(client.send(unreliable, true, m, 0, 1));
        FakeSctpTransport.Sent beforeAck = clientSctp.sent.get(1);
        FakeSctpTransport.Sent afterAck = clientSctp.sent.get(2);
        assertFalse(beforeAck.unordered(), "RFC 8832 §6: ordered until the ACK");
        assertTrue(afterAck.unordered());
        assertEquals(0, afterAck.maxRetransmits());

        // The receiving side uses the negotiated settings from the first message on.
        DataChannel atServer = serverEvents.remoteOpened("unreliable");
        assertTrue(server.send(atServer, true, m, 0, 1));
        assertTrue(serverSctp.sent.get(serverSctp.sent.size() - 1).unordered());
    }

    @Test
    void closeResetsBothStreamsAndFreesTheId() {
        DataChannel chat = client.open("chat", "", true, -1, -1);
        DataChannel other = client.open("other", "", true, -1, -1);
        wire.drain();
        DataChannel chatAtServer = serverEvents.remoteOpened("chat");

        client.close(chat);
        assertEquals(DataChannel.State.CLOSING, chat.state());
        assertFalse(client.send(chat, false, new byte[1], 0, 1), "no sends while closing");
        wire.drain();
        assertEquals(DataChannel.State.CLOSED, chat.state());
        assertEquals(DataChannel.State.CLOSED, chatAtServer.state());
        assertArrayEquals(new int[] {0}, clientSctp.resets.get(0));
        assertArrayEquals(new int[] {0}, serverSctp.resets.get(0), "the peer answers with its own reset");
        assertEquals(1, clientEvents.closed.size());
        assertEquals(1, serverEvents.closed.size());
        assertNull(server.channelByLabel("chat"));
        assertTrue(other.isOpen());

        // Closed by the server this time; the freed even id 0 is reused by the next client open.
        server.close(serverEvents.remoteOpened("other"));
        wire.drain();
        assertEquals(DataChannel.State.CLOSED, other.state());
        assertEquals(0, client.open("again", "", true, -1, -1).streamId());
        assertEquals(2, client.stats().channelsClosed());
    }

    @Test
    void lookupByLabelAndLazyReliableOpen() {
        client.open("reliable", "", true, -1, -1);
        client.open("unreliable", "", false, 0, -1);
        wire.drain();
        DataChannel unreliableAtServer = server.channelByLabel("unreliable");
        assertNotNull(unreliableAtServer);
        assertFalse(unreliableAtServer.ordered());

        // Relay on an existing label uses that channel and its settings.
        byte[] payload = "hi".getBytes(StandardCharsets.UTF_8);
        assertTrue(server.sendOnLabel("unreliable", "", false, payload, 0, payload.length));
        assertTrue(serverSctp.sent.get(serverSctp.sent.size() - 1).unordered());

        // A missing label is opened by the server, reliable and ordered, on an odd id, and used at once.
        assertNull(server.channelByLabel("JanusDataChannel"));
        assertTrue(server.sendOnLabel("JanusDataChannel", "proto", true, payload, 0, payload.length));
        DataChannel lazy = server.channelByLabel("JanusDataChannel");
        assertEquals(1, lazy.streamId() % 2);
        assertTrue(lazy.ordered());
        assertEquals("proto", lazy.protocol());
        wire.drain();
        DataChannel atClient = clientEvents.remoteOpened("JanusDataChannel");
        assertNotNull(atClient);
        RecordingDataChannelListener.Message last = clientEvents.messages.get(clientEvents.messages.size() - 1);
        assertSame(atClient, last.channel());
        assertTrue(last.binary());
        assertEquals(2, clientEvents.messages.size());
        assertEquals(1, server.stats().channelsOpenedLocally());
    }

    @Test
    void channelsOpenedBeforeTheAssociationGoOutWhenItIsUp() {
        FakeSctpNetwork w = new FakeSctpNetwork();
        FakeSctpTransport[] pair = w.pair();
        RecordingDataChannelListener aEvents = new RecordingDataChannelListener();
        RecordingDataChannelListener bEvents = new RecordingDataChannelListener();
        DataChannels a = new DataChannels(DtlsRole.SERVER, aEvents, pair[0].factory());
        new DataChannels(DtlsRole.CLIENT, bEvents, pair[1].factory());
        DataChannel early = a.open("early", "", true, -1, -1);
        assertEquals(DataChannel.State.CONNECTING, early.state());
        assertFalse(a.send(early, false, new byte[1], 0, 1));
        assertEquals(1, a.stats().sendDroppedNotOpen());
        pair[0].start();
        pair[1].start();
        w.drain();
        assertTrue(early.isOpen());
        assertTrue(early.acked());
        assertEquals("early", bEvents.remoteOpened("early").label());
        assertEquals(1, aEvents.opened.size());
    }

    @Test
    void garbageDcepAndStrayMessagesAreCountedNotThrown() {
        Random random = new Random(8831);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            byte[] junk = new byte[random.nextInt(30)];
            random.nextBytes(junk);
            if (junk.length > 0 && random.nextInt(3) == 0) {
                junk[0] = 0x03;
            }
            serverSctp.inject(random.nextInt(4096), DataChannelPpid.DCEP, junk);
        }
        DataChannelStats s = server.stats();
        assertTrue(s.dcepMalformed() > n / 2, "most junk does not parse: " + s.dcepMalformed());
        assertEquals(n, s.dcepMalformed() + s.dcepUnexpected() + s.channelsOpenedRemotely(),
                "every message is accounted for");

        long malformed = s.dcepMalformed();
        byte[] open = DcepMessage.open(DcepChannelType.RELIABLE, 0, 0, "reliable", "x").encode();
        for (int len = 0; len < open.length; len++) {
            serverSctp.inject(5000, DataChannelPpid.DCEP, Arrays.copyOf(open, len));
        }
        assertEquals(malformed + open.length, s.dcepMalformed(), "each truncated OPEN counted");
        assertNull(server.channel(5000));

        serverSctp.inject(60_000, DataChannelPpid.STRING, new byte[] {1});
        serverSctp.inject(60_000, 99, new byte[] {1});
        assertEquals(1, s.messagesDroppedNoChannel());
        assertEquals(1, s.messagesUnknownPpid());
    }

    @Test
    void deprecatedPartialMessagesAreReassembledWithinALimit() {
        client.open("old", "", true, -1, -1);
        wire.drain();
        byte[] a = "hel".getBytes(StandardCharsets.UTF_8);
        byte[] b = "lo".getBytes(StandardCharsets.UTF_8);
        serverSctp.inject(0, DataChannelPpid.STRING_PARTIAL, a);
        serverSctp.inject(0, DataChannelPpid.STRING, b);
        assertEquals("hello", serverEvents.messages.get(0).text());
        assertEquals(1, server.stats().partialMessagesReassembled());

        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 5; i++) {
            serverSctp.inject(0, DataChannelPpid.BINARY_PARTIAL, chunk);
        }
        serverSctp.inject(0, DataChannelPpid.BINARY, chunk);
        assertEquals(1, server.stats().partialMessagesDropped(), "over " + DataChannels.PARTIAL_LIMIT);
        assertEquals(1, serverEvents.messages.size());
        serverSctp.inject(0, DataChannelPpid.BINARY, b);
        assertEquals(2, serverEvents.messages.size(), "the next message is whole again");
    }

    @Test
    void aFullSendBufferDropsAndCountsWithoutStallingOthers() {
        DataChannel reliable = client.open("reliable", "", true, -1, -1);
        wire.drain();
        clientSctp.sendBufferBytes = 10_000;
        byte[] big = new byte[4_000];
        assertTrue(client.send(reliable, true, big, 0, big.length));
        assertTrue(client.send(reliable, true, big, 0, big.length));
        assertFalse(client.send(reliable, true, big, 0, big.length), "buffer full");
        assertEquals(1, client.stats().sendDroppedBufferFull());
        assertEquals(1, reliable.sendsDropped());
        assertEquals(8_000, clientSctp.bufferedAmount());

        clientSctp.maxMessageSize = 1_000;
        assertFalse(client.send(reliable, true, big, 0, big.length));
        assertEquals(1, client.stats().sendDroppedTooLarge());

        wire.drain(); // the receiver catches up; sending works again
        assertTrue(client.send(reliable, true, big, 0, 500));
        assertEquals(3, client.stats().messagesSent());
        wire.drain();
        assertEquals(3, serverEvents.messages.size());
    }

    @Test
    void theAssociationEndingClosesEveryChannel() {
        DataChannel c = client.open("reliable", "", true, -1, -1);
        wire.drain();
        clientSctp.abort("test");
        wire.drain();
        assertEquals(DataChannel.State.CLOSED, c.state());
        assertEquals(1, clientEvents.closed.size());
        assertEquals(1, serverEvents.closed.size());
        assertEquals(1, clientEvents.associationClosed.size());
        assertEquals(1, serverEvents.associationClosed.size());
        assertTrue(client.channels().isEmpty());
        assertNull(client.open("late", "", true, -1, -1), "no opens after the association ended");
    }
}
