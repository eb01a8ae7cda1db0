package org.janussfu.webrtc.ice;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * The few STUN (RFC 8489) wire checks the UDP endpoints make before anything reaches ice4j: message framing,
 * attribute lookup, USERNAME's local part, MESSAGE-INTEGRITY (HMAC-SHA1 with the short-term ICE password, RFC 8489
 * §14.5) and FINGERPRINT (§14.7), ICE-CONTROLLED/ICE-CONTROLLING (RFC 8445 §16.1), and the messages the endpoint
 * builds itself: 487 Role Conflict (RFC 8445 §7.3.1.1), the success response to a consent check on the selected
 * pair (RFC 7675 §5.2; RFC 8445 §7.3.1.3), and our own consent checks and keepalives ({@link ConsentChecks}). Stateless; every method may run on any thread (the HMAC
 * engine is per thread). Works on byte arrays in place and never throws for malformed input.
 */
final class StunWire {
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_INDICATION = 0x0011;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;

    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int PRIORITY = 0x0024;
    static final int FINGERPRINT = 0x8028;
    static final int ICE_CONTROLLED = 0x8029;
    static final int ICE_CONTROLLING = 0x802A;

    static final int HEADER = 20;
    private static final int COOKIE = 0x2112A442;
    private static final int FINGERPRINT_XOR = 0x5354554e;
    /** MESSAGE-INTEGRITY and FINGERPRINT with their headers. */
    private static final int TRAILER = 24 + 8;
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(StunWire::newMac);

    private StunWire() {
    }

    /** RFC 8489 §5: top two bits zero, the magic cookie, a length that is a multiple of 4 and fills the datagram. */
    static boolean isStun(byte[] b, int off, int len) {
        return len >= HEADER && (b[off] & 0xC0) == 0 && int32(b, off + 4) == COOKIE
                && (u16(b, off + 2) & 3) == 0 && u16(b, off + 2) + HEADER == len;
    }

    static int type(byte[] b, int off) {
        return u16(b, off) & 0x3FFF;
    }

    /**
     * Offset of the attribute header of {@code type}, or -1 (also when the attribute list is malformed). Attributes
     * after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 8489 §14.5).
     */
    static int find(byte[] b, int off, int len, int type) {
        int p = off + HEADER;
        int end = off + len;
        boolean afterIntegrity = false;
        while (p + 4 <= end) {
            int t = u16(b, p);
            int l = u16(b, p + 2);
            if (p + 4 + l > end) {
                return -1;
            }
            if (t == type && (!afterIntegrity || t == FINGERPRINT)) {
                return p;
            }
            afterIntegrity |= t == MESSAGE_INTEGRITY;
            p += 4 + ((l + 3) & ~3);
        }
        return -1;
    }

    /** Whether the attributes exactly fill the message (RFC 8489 §14: type, length, value padded to 4 bytes). */
    static boolean wellFormed(byte[] b, int off, int len) {
        int p = off + HEADER;
        int end = off + len;
        while (p + 4 <= end) {
            int l = u16(b, p + 2);
            p += 4 + ((l + 3) & ~3);
        }
        return p == end;
    }

    /** The local (first) part of USERNAME, {@code "<receiver ufrag>:<sender ufrag>"} (RFC 8445 §7.2.2), or null. */
    static String localUfrag(byte[] b, int off, int len) {
        int a = find(b, off, len, USERNAME);
        if (a < 0) {
            return null;
        }
        int l = u16(b, a + 2);
        for (int i = 0; i < l; i++) {
            if (b[a + 4 + i] == ':') {
                return i == 0 ? null : new String(b, a + 4, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * RFC 8489 §14.5: MESSAGE-INTEGRITY is present and is the HMAC-SHA1, keyed with {@code key}, of the message up to
     * it with the header length counting up to its end; and a FINGERPRINT, if present, is right (§14.7).
     */
    static boolean integrityOk(byte[] b, int off, int len, byte[] key) {
        int mi = find(b, off, len, MESSAGE_INTEGRITY);
        if (key == null || mi < 0 || u16(b, mi + 2) != 20 || !wellFormed(b, off, len)) {
            return false;
        }
        int adjusted = mi + 24 - off - HEADER;
        byte[] expected;
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(b, off, 2);
            mac.update((byte) (adjusted >>> 8));
            mac.update((byte) adjusted);
            mac.update(b, off + 4, mi - off - 4);
            expected = mac.doFinal();
        } catch (GeneralSecurityException | IllegalStateException e) {
            return false;
        }
        byte[] got = new byte[20];
        System.arraycopy(b, mi + 4, got, 0, 20);
        return MessageDigest.isEqual(expected, got) && fingerprintOk(b, off, len);
    }

    /** RFC 8489 §14.7: no FINGERPRINT, or one that matches the CRC-32 of the message before it XOR 0x5354554e. */
    static boolean fingerprintOk(byte[] b, int off, int len) {
        int fp = find(b, off, len, FINGERPRINT);
        if (fp < 0) {
            return true;
        }
        if (u16(b, fp + 2) != 4 || fp + 8 != off + len) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(b, off, fp - off);
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == int32(b, fp + 4);
    }

    /** The 64-bit tie-breaker of attribute {@code type} (ICE-CONTROLLED or ICE-CONTROLLING), or null if absent. */
    static Long tieBreaker(byte[] b, int off, int len, int type) {
        int a = find(b, off, len, type);
        if (a < 0 || u16(b, a + 2) != 8) {
            return null;
        }
        return ((long) int32(b, a + 4) << 32) | (int32(b, a + 8) & 0xFFFFFFFFL);
    }

    /**
     * A Binding error response 487 Role Conflict (RFC 8445 §7.3.1.1) to the request in {@code req}: same transaction
     * ID, ERROR-CODE, MESSAGE-INTEGRITY keyed with {@code key} (our password) and FINGERPRINT.
     */
    static byte[] roleConflict(byte[] req, int off, byte[] key) {
        byte[] reason = "Role Conflict".getBytes(StandardCharsets.US_ASCII);
        int errLen = 4 + reason.length;
        int errPadded = (errLen + 3) & ~3;
        int total = HEADER + 4 + errPadded + TRAILER;
        byte[] m = new byte[total];
        put16(m, 0, BINDING_ERROR);
        System.arraycopy(req, off + 4, m, 4, 16); // cookie and transaction ID
        int p = HEADER;
        put16(m, p, ERROR_CODE);
        put16(m, p + 2, errLen);
        m[p + 6] = 4;
        m[p + 7] = 87;
        System.arraycopy(reason, 0, m, p + 8, reason.length);
        p += 4 + errPadded;
        seal(m, p, key);
        return m;
    }

    /**
     * The Binding success response to {@code req} (RFC 8489 §7.3.1), as ice4j would send it: its transaction ID,
     * XOR-MAPPED-ADDRESS of {@code from} (§14.2), MESSAGE-INTEGRITY with our short-term key and FINGERPRINT.
     */
    static byte[] bindingSuccess(byte[] req, int off, InetSocketAddress from, byte[] key) {
        byte[] ip = from.getAddress().getAddress();
        int attr = 4 + 4 + ip.length;
        byte[] m = new byte[HEADER + attr + TRAILER];
        put16(m, 0, BINDING_SUCCESS);
        System.arraycopy(req, off + 4, m, 4, 16); // cookie and transaction ID
        int p = HEADER;
        put16(m, p, XOR_MAPPED_ADDRESS);
        put16(m, p + 2, attr - 4);
        m[p + 5] = (byte) (ip.length == 4 ? 1 : 2);
        put16(m, p + 6, from.getPort() ^ (COOKIE >>> 16));
        for (int i = 0; i < ip.length; i++) {
            m[p + 8 + i] = (byte) (ip[i] ^ m[4 + i]); // IPv4: the cookie; IPv6: cookie and transaction ID
        }
        seal(m, p + attr, key);
        return m;
    }

    /**
     * A Binding request for a consent check on the selected pair (RFC 7675 §5.1, as a connectivity check: RFC 8445
     * §7.2.2): transaction ID {@code txid} (12 bytes), USERNAME {@code "<remote ufrag>:<local ufrag>"}, PRIORITY,
     * ICE-CONTROLLING or ICE-CONTROLLED with our tie-breaker, MESSAGE-INTEGRITY keyed with the remote password and
     * FINGERPRINT. With {@code key} null: a Binding indication (a keepalive, RFC 8445 §11) with FINGERPRINT only.
     */
    static byte[] bindingRequest(byte[] txid, byte[] username, long priority, boolean controlling, long tieBreaker,
                                 byte[] key) {
        if (key == null) {
            byte[] m = new byte[HEADER + 8];
            put16(m, 0, BINDING_INDICATION);
            putCookieAndId(m, txid);
            put16(m, 2, 8);
            fingerprint(m, HEADER);
            return m;
        }
        int user = (username.length + 3) & ~3;
        byte[] m = new byte[HEADER + 4 + user + 8 + 12 + TRAILER];
        put16(m, 0, BINDING_REQUEST);
        putCookieAndId(m, txid);
        int p = HEADER;
        put16(m, p, USERNAME);
        put16(m, p + 2, username.length);
        System.arraycopy(username, 0, m, p + 4, username.length);
        p += 4 + user;
        put16(m, p, PRIORITY);
        put16(m, p + 2, 4);
        put16(m, p + 4, (int) (priority >>> 16));
        put16(m, p + 6, (int) priority);
        p += 8;
        put16(m, p, controlling ? ICE_CONTROLLING : ICE_CONTROLLED);
        put16(m, p + 2, 8);
        for (int i = 0; i < 8; i++) {
            m[p + 4 + i] = (byte) (tieBreaker >>> (56 - 8 * i));
        }
        seal(m, p + 12, key);
        return m;
    }

    /** Whether the transaction ID of the message at {@code off} is {@code txid} (12 bytes). */
    static boolean sameTransaction(byte[] b, int off, byte[] txid) {
        for (int i = 0; i < 12; i++) {
            if (b[off + 8 + i] != txid[i]) {
                return false;
            }
        }
        return true;
    }

    private static void putCookieAndId(byte[] m, byte[] txid) {
        m[4] = 0x21;
        m[5] = 0x12;
        m[6] = (byte) 0xA4;
        m[7] = 0x42;
        System.arraycopy(txid, 0, m, 8, 12);
    }

    /** MESSAGE-INTEGRITY (§14.5) then FINGERPRINT (§14.7) at {@code p}, the header length counting each in turn. */
    private static void seal(byte[] m, int p, byte[] key) {
        put16(m, 2, p + 24 - HEADER);
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(m, 0, p);
            mac.doFinal(m, p + 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
        put16(m, p, MESSAGE_INTEGRITY);
        put16(m, p + 2, 20);
        fingerprint(m, p + 24);
    }

    /** FINGERPRINT (§14.7) at {@code p}, the last attribute, the header length counting it. */
    private static void fingerprint(byte[] m, int p) {
        put16(m, 2, p + 8 - HEADER);
        CRC32 crc = new CRC32();
        crc.update(m, 0, p);
        put16(m, p, FINGERPRINT);
        put16(m, p + 2, 4);
        int v = (int) crc.getValue() ^ FINGERPRINT_XOR;
        put16(m, p + 4, v >>> 16);
        put16(m, p + 6, v);
    }

    /** An ICE password as the HMAC key (RFC 8489 §9.1: the password itself, UTF-8; ICE passwords are ASCII). */
    static byte[] key(String password) {
        return password == null ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int int32(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static void put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }
}
