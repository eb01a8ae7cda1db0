package org.janussfu.cluster;

/**
 * One media message between nodes on the clustered event bus: an RTP packet for a mirrored publisher's subscribers
 * ({@link #RTP}, {@code target} = the receiving node's mirror id) or a data-channel message for local handles
 * ({@link #DATA}, {@code targets} = their ids: one frame per message and receiving node, however many of the room's
 * recipients are there). The sender fills it with its own copy of the bytes (the plugin's packet is reused once the
 * call returns); after that it is never changed, and {@link MediaFrameCodec} writes it to the wire. Allocated per
 * cross-node message (the clustered bus allocates per message anyway).
 */
final class MediaFrame {
    static final byte RTP = 1;
    static final byte DATA = 2;

    final byte kind;
    /** RTP: the receiving node's mirror id. DATA: the receiving node's {@link DataStream} id, 0 = no stream (in order of arrival). */
    final long target;
    /** DATA: the message's number in its stream ({@link DataRoute}); 0 without a stream. */
    final int seq;
    /** DATA: the receiving node's handle ids; RTP: null. */
    final long[] targets;
    final boolean flag;
    final byte[] bytes;
    final int length;
    final String label;
    final String protocol;

    MediaFrame(byte kind, long target, int seq, long[] targets, boolean flag, byte[] bytes, int length, String label,
               String protocol) {
        this.kind = kind;
        this.target = target;
        this.seq = seq;
        this.targets = targets;
        this.flag = flag;
        this.bytes = bytes;
        this.length = length;
        this.label = label;
        this.protocol = protocol;
    }

    /** RTP: {@code flag} = video. */
    static MediaFrame rtp(long target, boolean video, byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        return new MediaFrame(RTP, target, 0, null, video, copy, len, null, null);
    }

    /** Data channel: {@code flag} = binary; the payload array is the message's own (immutable by contract). */
    static MediaFrame data(long stream, int seq, long[] targets, String label, String protocol, boolean binary,
                           byte[] payload) {
        return new MediaFrame(DATA, stream, seq, targets, binary, payload, payload.length, label,
                protocol == null ? "" : protocol);
    }

    /** The same message as the {@code seq}-th of {@code stream}. */
    MediaFrame inStream(long stream, int seq) {
        return new MediaFrame(kind, stream, seq, targets, flag, bytes, length, label, protocol);
    }
}
