package org.janussfu.webrtc.ice;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Test listener for {@link IceTransport}: records connects, failures and received datagrams. Callbacks arrive on
 * ice4j's and the ICE event thread; the test thread reads through the concurrent fields.
 */
final class IceTestPeer implements IceTransport.Listener {
    final BlockingQueue<String> connects = new LinkedBlockingQueue<>();
    final CompletableFuture<String> failure = new CompletableFuture<>();
    final AtomicInteger packets = new AtomicInteger();
    final AtomicInteger handedOver = new AtomicInteger();
    final AtomicInteger badPayload = new AtomicInteger();
    volatile int tailroom = Integer.MAX_VALUE;

    @Override
    public void onConnected(String selectedPairDescription) {
        connects.add(selectedPairDescription);
    }

    @Override
    public void onFailed(String reason) {
        failure.complete(reason);
    }

    @Override
    public void onPacket(byte[] buf, int off, int len, Object loan) {
        // Payloads sent by the tests start with 0x80 (an RTP-looking first byte, RFC 7983) and are >= 4 bytes.
        if (len < 4 || (buf[off] & 0xFF) != 0x80) {
            badPayload.incrementAndGet();
        }
        if (loan != null) {
            handedOver.incrementAndGet();
            tailroom = Math.min(tailroom, buf.length - off - len);
            IceBuffers.LENDER.giveBack(loan);
        }
        packets.incrementAndGet();
    }

    String awaitConnected(long seconds) throws InterruptedException {
        String pair = connects.poll(seconds, TimeUnit.SECONDS);
        assertNotNull(pair, "not connected within " + seconds + " s; failure=" + failure.getNow(null));
        return pair;
    }

    /** Exchanges credentials and all candidates between two transports and starts both. */
    static void wire(IceTransport a, IceTransport b) {
        a.setRemoteCredentials(b.localUfrag(), b.localPassword());
        b.setRemoteCredentials(a.localUfrag(), a.localPassword());
        for (String c : a.localCandidates()) {
            b.addRemoteCandidate(c);
        }
        for (String c : b.localCandidates()) {
            a.addRemoteCandidate(c);
        }
        a.start();
        b.start();
    }

    /** An RTP-looking datagram of {@code len} bytes carrying {@code seq}. */
    static byte[] datagram(int len, int seq) {
        byte[] d = new byte[len];
        d[0] = (byte) 0x80;
        d[2] = (byte) (seq >> 8);
        d[3] = (byte) seq;
        return d;
    }
}
