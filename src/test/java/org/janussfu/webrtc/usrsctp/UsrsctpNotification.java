package org.janussfu.webrtc.usrsctp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One usrsctp notification ({@code union sctp_notification}, read with {@code MSG_NOTIFICATION} set), decoded as far
 * as {@link UsrsctpTransport} needs: the type and flags of every notification, the state of an ASSOC_CHANGE and the
 * stream list of a STREAM_RESET_EVENT. Host byte order (these are C structs, not wire data). Immutable; built and
 * read on the transport's owner.
 */
final class UsrsctpNotification {

    static final int ASSOC_CHANGE = 0x0001;
    static final int PEER_ADDR_CHANGE = 0x0002;
    static final int REMOTE_ERROR = 0x0003;
    static final int SHUTDOWN_EVENT = 0x0005;
    static final int ADAPTATION_INDICATION = 0x0006;
    static final int STREAM_RESET_EVENT = 0x0009;
    static final int SENDER_DRY_EVENT = 0x000a;
    static final int STREAM_CHANGE_EVENT = 0x000d;
    static final int SEND_FAILED_EVENT = 0x000e;

    /** The events subscribed to, as Janus' sctp.c does. */
    static final int[] SUBSCRIBED = {ASSOC_CHANGE, PEER_ADDR_CHANGE, REMOTE_ERROR, SHUTDOWN_EVENT,
        ADAPTATION_INDICATION, SEND_FAILED_EVENT, SENDER_DRY_EVENT, STREAM_RESET_EVENT, STREAM_CHANGE_EVENT};

    /** {@code sac_state} values. */
    static final int COMM_UP = 1;
    static final int COMM_LOST = 2;
    static final int RESTART = 3;
    static final int SHUTDOWN_COMP = 4;
    static final int CANT_STR_ASSOC = 5;

    /** {@code strreset_flags} bits. */
    static final int STREAM_RESET_INCOMING_SSN = 0x1;
    static final int STREAM_RESET_DENIED = 0x4;
    static final int STREAM_RESET_FAILED = 0x8;

    final int type;
    final int flags;
    /** ASSOC_CHANGE: {@code sac_state}; otherwise 0. */
    final int assocState;
    /** STREAM_RESET_EVENT: the streams; otherwise empty. */
    final int[] streams;

    private UsrsctpNotification(int type, int flags, int assocState, int[] streams) {
        this.type = type;
        this.flags = flags;
        this.assocState = assocState;
        this.streams = streams;
    }

    /** Decodes {@code len} bytes; null when shorter than its header or its own length field. */
    static UsrsctpNotification parse(byte[] data, int len) {
        if (len < 8) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, len).order(ByteOrder.nativeOrder());
        int type = b.getShort(0) & 0xffff;
        int flags = b.getShort(2) & 0xffff;
        long length = b.getInt(4) & 0xffffffffL;
        if (length > len) {
            return null;
        }
        int state = 0;
        int[] streams = new int[0];
        if (type == ASSOC_CHANGE && length >= 10) {
            state = b.getShort(8) & 0xffff;
        } else if (type == STREAM_RESET_EVENT && length >= 12) {
            streams = new int[(int) (length - 12) / 2];
            for (int i = 0; i < streams.length; i++) {
                streams[i] = b.getShort(12 + 2 * i) & 0xffff;
            }
        }
        return new UsrsctpNotification(type, flags, state, streams);
    }

    /** A STREAM_RESET_EVENT saying the peer reset these incoming streams (RFC 6525 §5.2.2) and it succeeded. */
    boolean incomingStreamsReset() {
        return type == STREAM_RESET_EVENT && (flags & STREAM_RESET_INCOMING_SSN) != 0
                && (flags & (STREAM_RESET_DENIED | STREAM_RESET_FAILED)) == 0;
    }
}
