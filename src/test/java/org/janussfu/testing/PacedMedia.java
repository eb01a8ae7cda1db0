package org.janussfu.testing;

import java.util.function.IntSupplier;

/**
 * A test publisher's audio + video burst, paced by what reached the slowest receiver watched: at most
 * {@value #WINDOW} packets in flight ({@link Poll#window}), so that a loaded box that keeps a reader off the CPU holds
 * the sender instead of overflowing a socket buffer — callers assert that every packet arrives. Stateless; runs on
 * the test thread, which blocks while the window is full.
 */
public final class PacedMedia {
    public static final long AUDIO_SSRC = 0xA0D10L;
    public static final long VIDEO_SSRC = 0x71DE0L;
    static final int WINDOW = 40;

    private PacedMedia() {
    }

    /**
     * Sends {@code count} pairs (audio 100 B, video 1,188 B) with sequence numbers from {@code start}; with {@code
     * stampSendTime} each video payload starts with its {@link System#nanoTime} (for one-way latency).
     *
     * @param received RTP packets that reached the slowest receiver watched (read before the first send as the base)
     */
    public static void send(ClientPeer peer, int audioPt, int videoPt, int start, int count, boolean stampSendTime,
                            IntSupplier received) throws InterruptedException {
        int base = received.getAsInt();
        for (int i = start; i < start + count; i++) {
            if ((i - start) % 10 == 0) {
                Poll.window(() -> received.getAsInt() - base, 2 * (i - start), WINDOW, 10_000);
            }
            peer.sendRtp(ClientPeer.rtpPacket(audioPt, i, 960L * i, AUDIO_SSRC, 100), 112);
            byte[] v = ClientPeer.rtpPacket(videoPt, i, 3000L * i, VIDEO_SSRC, 1188);
            if (stampSendTime) {
                long now = System.nanoTime();
                for (int k = 0; k < 8; k++) {
                    v[12 + k] = (byte) (now >>> (56 - 8 * k));
                }
            }
            peer.sendRtp(v, 1200);
        }
    }
}
