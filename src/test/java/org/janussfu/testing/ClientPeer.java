package org.janussfu.testing;

import io.vertx.core.Context;
import org.janussfu.sdp.JsepMerge;
import org.janussfu.sdp.RemoteTransport;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SdpWriter;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.PeerConnection;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process "browser" for integration tests, built from the project's own ICE, DTLS and SRTP in the client
 * roles (ICE controlling, its own loopback socket; DTLS role from the answer's a=setup). It turns an SDP template
 * (a captured browser offer) into its own offer, applies the server's answer (or answers the server's offer), and
 * records what it receives. Owned by the given context; the JUnit thread only waits on its futures.
 */
public final class ClientPeer implements AutoCloseable {
    public final PeerConnection pc;
    public final CompletableFuture<SrtpProfile> connected = new CompletableFuture<>();
    public final CompletableFuture<String> closed = new CompletableFuture<>();
    public final List<byte[]> rtp = new CopyOnWriteArrayList<>();
    public final List<byte[]> rtcp = new CopyOnWriteArrayList<>();
    /** {@code System.nanoTime()} at the arrival of each packet of {@link #rtp}, same index (latency tests). */
    public final List<Long> rtpNanos = new CopyOnWriteArrayList<>();
    /** Data-channel messages received: label, binary flag, payload. */
    public final List<Object[]> data = new CopyOnWriteArrayList<>();
    /** Optional taps called with each received RTP / RTCP packet (on this peer's context) after it is recorded. */
    public volatile java.util.function.Consumer<byte[]> rtpTap;
    public volatile java.util.function.Consumer<byte[]> rtcpTap;
    private final Context context;

    public ClientPeer(MediaEngine engine, Context context) {
        this.context = context;
        this.pc = engine.createClient(context, new PeerConnection.Listener() {
            @Override
            public void onConnected(SrtpProfile profile, String cipherSuite) {
                connected.complete(profile);
            }

            @Override
            public void onClosed(String reason) {
                closed.complete(reason);
            }

            @Override
            public void onRtp(byte[] buf, int off, int len) {
                rtpNanos.add(System.nanoTime());
                byte[] p = java.util.Arrays.copyOfRange(buf, off, off + len);
                rtp.add(p);
                var tap = rtpTap;
                if (tap != null) {
                    tap.accept(p);
                }
            }

            @Override
            public void onRtcp(byte[] buf, int off, int len) {
                byte[] p = java.util.Arrays.copyOfRange(buf, off, off + len);
                rtcp.add(p);
                var tap = rtcpTap;
                if (tap != null) {
                    tap.accept(p);
                }
            }

            @Override
            public void onDataMessage(String label, String protocol, boolean binary, byte[] d, int off, int len) {
                data.add(new Object[]{label, binary, java.util.Arrays.copyOfRange(d, off, off + len)});
            }
        });
    }

    /** Our offer: the template's media with our ICE credentials, candidates, fingerprint and setup:actpass. */
    public String offer(String templateSdp) throws Exception {
        SessionDescription t = SdpParser.parse(templateSdp);
        return SdpWriter.write(JsepMerge.merge(t, pc.localTransport(SetupRole.ACTPASS)));
    }

    /** Applies the server's answer to our offer (on our context). */
    public void acceptAnswer(String answerSdp) throws Exception {
        SessionDescription sd = SdpParser.parse(answerSdp);
        RemoteTransport r = RemoteTransport.from(sd);
        run(() -> {
            enableData(sd);
            pc.setRemote(r, SetupRole.ACTPASS);
        });
    }

    private void enableData(SessionDescription sd) {
        for (var m : sd.media()) {
            if (m.isSctp() && !m.isRejected()) {
                pc.enableDataChannels(m.sctpPort() == null ? 5000 : m.sctpPort(), 262144);
                return;
            }
        }
    }

    /** Opens a data channel once SCTP is up (waits for it); maxRetransmits -1 = reliable. */
    public void openChannel(String label, boolean ordered, int maxRetransmits) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (true) {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            context.runOnContext(v -> f.complete(pc.openDataChannel(label, ordered, maxRetransmits) != null));
            if (f.get()) {
                return;
            }
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("SCTP did not come up");
            }
            Thread.sleep(50);
        }
    }

    /** Sends a data-channel message on the channel with {@code label}. */
    public boolean sendData(String label, boolean binary, byte[] payload) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        context.runOnContext(v -> f.complete(pc.sendData(label, "", binary, payload, 0, payload.length)));
        return f.join();
    }

    /** Answers a server offer with the offer's own m-lines mirrored (recvonly is implied by the test's use). */
    public String answer(String offerSdp) throws Exception {
        SessionDescription offer = SdpParser.parse(offerSdp);
        RemoteTransport r = RemoteTransport.from(offer);
        SetupRole ours = r.answerRole();
        String answer = SdpWriter.write(JsepMerge.merge(offer, pc.localTransport(ours)));
        run(() -> {
            enableData(offer);
            pc.setRemote(r, ours);
        });
        return answer;
    }

    /** Sends one RTP packet (on our context); the array must have SRTP tailroom. */
    public void sendRtp(byte[] packet, int len) {
        run(() -> pc.sendRtp(packet, 0, len));
    }

    public void sendRtcp(byte[] packet, int len) {
        run(() -> pc.sendRtcp(packet, 0, len));
    }

    @Override
    public void close() {
        run(pc::close);
    }

    private void run(Runnable r) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                r.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.join();
    }

    /** A minimal RTP packet (RFC 3550 §5.1) with room for the SRTP tag. */
    public static byte[] rtpPacket(int pt, int seq, long ts, long ssrc, int payloadBytes) {
        byte[] b = new byte[12 + payloadBytes + 32];
        org.janussfu.rtp.RtpHeader.write(b, 0, pt, seq, ts, ssrc);
        for (int i = 0; i < payloadBytes; i++) {
            b[12 + i] = (byte) i;
        }
        return b;
    }
}
