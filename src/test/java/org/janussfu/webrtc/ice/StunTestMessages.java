package org.janussfu.webrtc.ice;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/** Builds ICE connectivity checks (RFC 8445 §7.1.2, RFC 8489) byte by byte for tests that play a raw peer. */
final class StunTestMessages {
    private StunTestMessages() {
    }

    /**
     * A Binding request with USERNAME, PRIORITY, ICE-CONTROLLING, MESSAGE-INTEGRITY keyed with {@code password} (or
     * random bytes when it is null) and FINGERPRINT.
     */
    static byte[] bindingRequest(String username, String password) throws Exception {
        return bindingRequest(username, password, false);
    }

    /** The same, with USE-CANDIDATE (RFC 8445 §7.1.2: the controlling agent nominates this pair) when asked. */
    static byte[] bindingRequest(String username, String password, boolean useCandidate) throws Exception {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        int beforeMi = 20 + 4 + userPadded + 8 + 12 + (useCandidate ? 4 : 0);
        byte[] m = new byte[beforeMi + 24 + 8];
        m[1] = 0x01;
        m[4] = 0x21;
        m[5] = 0x12;
        m[6] = (byte) 0xA4;
        m[7] = 0x42;
        byte[] tid = new byte[12];
        ThreadLocalRandom.current().nextBytes(tid);
        System.arraycopy(tid, 0, m, 8, 12);
        int p = 20;
        m[p + 1] = 0x06; // USERNAME
        m[p + 3] = (byte) user.length;
        System.arraycopy(user, 0, m, p + 4, user.length);
        p += 4 + userPadded;
        m[p + 1] = 0x24; // PRIORITY
        m[p + 3] = 4;
        m[p + 4] = 0x6e;
        m[p + 5] = 0x7f;
        m[p + 6] = 0x1e;
        m[p + 7] = (byte) 0xff;
        p += 8;
        m[p] = (byte) 0x80;
        m[p + 1] = 0x2A; // ICE-CONTROLLING
        m[p + 3] = 8;
        m[p + 11] = 1;
        p += 12;
        if (useCandidate) {
            m[p] = 0x00;
            m[p + 1] = 0x25; // USE-CANDIDATE, no value
            p += 4;
        }
        return sign(m, p, password);
    }

    /**
     * A Binding success response to {@code request} (its transaction id) with XOR-MAPPED-ADDRESS {@code mapped}
     * (IPv4), MESSAGE-INTEGRITY keyed with the responder's {@code password} and FINGERPRINT (RFC 8489 §14).
     */
    static byte[] successResponse(byte[] request, java.net.InetSocketAddress mapped, String password)
            throws Exception {
        byte[] m = new byte[20 + 12 + 24 + 8];
        m[0] = 0x01;
        m[1] = 0x01;
        System.arraycopy(request, 4, m, 4, 16); // magic cookie and transaction id
        int p = 20;
        m[p + 1] = 0x20; // XOR-MAPPED-ADDRESS
        m[p + 3] = 8;
        m[p + 5] = 0x01;
        int port = mapped.getPort() ^ 0x2112;
        m[p + 6] = (byte) (port >>> 8);
        m[p + 7] = (byte) port;
        byte[] a = mapped.getAddress().getAddress();
        for (int i = 0; i < 4; i++) {
            m[p + 8 + i] = (byte) (a[i] ^ m[4 + i]);
        }
        return sign(m, p + 12, password);
    }

    /** Whether {@code d} starts like a STUN message of {@code type} (0x0001 request, 0x0101 success response). */
    static boolean isStun(byte[] d, int len, int type) {
        return len >= 20 && ((d[0] & 0xFF) << 8 | (d[1] & 0xFF)) == type && d[4] == 0x21 && d[5] == 0x12;
    }

    /** Appends MESSAGE-INTEGRITY (random when {@code password} is null) and FINGERPRINT after the first p bytes. */
    private static byte[] sign(byte[] m, int p, String password) throws Exception {
        length(m, p + 24 - 20);
        byte[] mi = new byte[20];
        if (password == null) {
            ThreadLocalRandom.current().nextBytes(mi);
        } else {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(m, 0, p);
            mi = mac.doFinal();
        }
        m[p + 1] = 0x08; // MESSAGE-INTEGRITY
        m[p + 3] = 20;
        System.arraycopy(mi, 0, m, p + 4, 20);
        p += 24;
        length(m, p + 8 - 20);
        CRC32 crc = new CRC32();
        crc.update(m, 0, p);
        int fp = (int) crc.getValue() ^ 0x5354554e;
        m[p] = (byte) 0x80;
        m[p + 1] = 0x28; // FINGERPRINT
        m[p + 3] = 4;
        m[p + 4] = (byte) (fp >>> 24);
        m[p + 5] = (byte) (fp >>> 16);
        m[p + 6] = (byte) (fp >>> 8);
        m[p + 7] = (byte) fp;
        return m;
    }

    private static void length(byte[] m, int len) {
        m[2] = (byte) (len >>> 8);
        m[3] = (byte) len;
    }
}
