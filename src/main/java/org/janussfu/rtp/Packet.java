package org.janussfu.rtp;

/**
 * A view over a region of a {@code byte[]} holding one RTP or RTCP packet, as the media plane passes it
 * around (Janus' {@code janus_plugin_rtp}/{@code janus_plugin_rtcp}). A packet has exactly one owner at a
 * time: whoever holds it may read and rewrite it on the owner's thread; handing it on transfers ownership.
 * No locks, no copies here.
 */
public final class Packet {
    private byte[] buffer;
    private int offset;
    private int length;
    private boolean video;

    public Packet(byte[] buffer, int offset, int length, boolean video) {
        wrap(buffer, offset, length, video);
    }

    /** Points this view at another region, so that a pooled view can be reused without allocation. */
    public Packet wrap(byte[] buffer, int offset, int length, boolean video) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("region outside buffer");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.video = video;
        return this;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Whether the packet belongs to the video stream (else audio), as Janus' {@code video} flag. */
    public boolean isVideo() {
        return video;
    }
}
