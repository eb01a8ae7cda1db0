package org.janussfu.webrtc.datachannel;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One Data Channel Establishment Protocol message (RFC 8832 §5), sent with PPID 50 on the channel's stream:
 * DATA_CHANNEL_OPEN (type 0x03: channel type, priority, reliability parameter, label, protocol) or DATA_CHANNEL_ACK
 * (type 0x02). The codec encodes and parses; parsing never throws on network input and returns null for anything
 * malformed (short, lengths beyond the message, unknown message or channel type, label or protocol not UTF-8).
 * Immutable; any thread.
 *
 * <pre>
 * OPEN:  0x03 | channel type (1) | priority (2) | reliability parameter (4) | label length (2) |
 *        protocol length (2) | label | protocol            (RFC 8832 §5.1, network byte order)
 * ACK:   0x02                                             (RFC 8832 §5.2)
 * </pre>
 */
public final class DcepMessage {

    /** Message type of DATA_CHANNEL_ACK (RFC 8832 §8.2.1). */
    public static final int TYPE_ACK = 0x02;
    /** Message type of DATA_CHANNEL_OPEN (RFC 8832 §8.2.1). */
    public static final int TYPE_OPEN = 0x03;
    /** Fixed part of an OPEN before label and protocol. */
    public static final int OPEN_HEADER_LENGTH = 12;
    /** Largest label or protocol, in UTF-8 bytes (16-bit length fields). */
    public static final int MAX_STRING_BYTES = 0xffff;

    private static final DcepMessage ACK = new DcepMessage(TYPE_ACK, null, 0, 0, "", "");

    private final int type;
    private final DcepChannelType channelType;
    private final int priority;
    private final long reliabilityParameter;
    private final String label;
    private final String protocol;

    private DcepMessage(int type, DcepChannelType channelType, int priority, long reliabilityParameter, String label,
                        String protocol) {
        this.type = type;
        this.channelType = channelType;
        this.priority = priority;
        this.reliabilityParameter = reliabilityParameter;
        this.label = label;
        this.protocol = protocol;
    }

    /** The DATA_CHANNEL_ACK message. */
    public static DcepMessage ack() {
        return ACK;
    }

    /**
     * A DATA_CHANNEL_OPEN. {@code priority} is 0..65535, {@code reliabilityParameter} 0..2^32-1 (ignored, and sent as
     * 0, for the reliable types, RFC 8832 §5.1).
     *
     * @throws IllegalArgumentException when a field does not fit its wire width
     */
    public static DcepMessage open(DcepChannelType channelType, int priority, long reliabilityParameter, String label,
                                   String protocol) {
        if (channelType == null || priority < 0 || priority > 0xffff
                || reliabilityParameter < 0 || reliabilityParameter > 0xffffffffL) {
            throw new IllegalArgumentException("DCEP OPEN field out of range");
        }
        String l = label == null ? "" : label;
        String p = protocol == null ? "" : protocol;
        if (utf8Length(l) > MAX_STRING_BYTES || utf8Length(p) > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("DCEP label or protocol longer than 65535 UTF-8 bytes");
        }
        boolean partial = channelType.limitsRetransmits() || channelType.limitsLifetime();
        return new DcepMessage(TYPE_OPEN, channelType, priority, partial ? reliabilityParameter : 0, l, p);
    }

    public int type() {
        return type;
    }

    public boolean isOpen() {
        return type == TYPE_OPEN;
    }

    public boolean isAck() {
        return type == TYPE_ACK;
    }

    /** The channel type of an OPEN; null for an ACK. */
    public DcepChannelType channelType() {
        return channelType;
    }

    public int priority() {
        return priority;
    }

    /** Retransmissions or milliseconds depending on {@link #channelType()}, unsigned 32 bits. */
    public long reliabilityParameter() {
        return reliabilityParameter;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return protocol;
    }

    /** The wire form. */
    public byte[] encode() {
        if (type == TYPE_ACK) {
            return new byte[] {TYPE_ACK};
        }
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(OPEN_HEADER_LENGTH + l.length + p.length);
        b.put((byte) TYPE_OPEN)
                .put((byte) channelType.code())
                .putShort((short) priority)
                .putInt((int) reliabilityParameter)
                .putShort((short) l.length)
                .putShort((short) p.length)
                .put(l)
                .put(p);
        return b.array();
    }

    /**
     * Parses one DCEP message; null when it is malformed. Bytes after an ACK's type, or after an OPEN's protocol, are
     * tolerated (libwebrtc does the same).
     */
    public static DcepMessage parse(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 1 || off > buf.length - len) {
            return null;
        }
        int type = buf[off] & 0xff;
        if (type == TYPE_ACK) {
            return ACK;
        }
        if (type != TYPE_OPEN || len < OPEN_HEADER_LENGTH) {
            return null;
        }
        DcepChannelType channelType = DcepChannelType.fromCode(buf[off + 1] & 0xff);
        if (channelType == null) {
            return null;
        }
        int priority = u16(buf, off + 2);
        long reliability = ((long) u16(buf, off + 4) << 16) | u16(buf, off + 6);
        int labelLength = u16(buf, off + 8);
        int protocolLength = u16(buf, off + 10);
        if (OPEN_HEADER_LENGTH + labelLength + protocolLength > len) {
            return null;
        }
        String label = utf8(buf, off + OPEN_HEADER_LENGTH, labelLength);
        String protocol = utf8(buf, off + OPEN_HEADER_LENGTH + labelLength, protocolLength);
        if (label == null || protocol == null) {
            return null;
        }
        return new DcepMessage(TYPE_OPEN, channelType, priority, reliability, label, protocol);
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    /** Strict UTF-8 decoding; null on malformed input (a lenient decoder would silently substitute U+FFFD). */
    private static String utf8(byte[] b, int off, int len) {
        if (len == 0) {
            return "";
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(b, off, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        if (type == TYPE_ACK) {
            return "DCEP ACK";
        }
        return "DCEP OPEN " + channelType + " prio=" + priority + " rel=" + reliabilityParameter
                + " label='" + label + "' protocol='" + protocol + "'";
    }
}
