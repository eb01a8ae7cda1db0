package org.janussfu.webrtc.sctp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state cookie we put in INIT-ACK (RFC 9260 §5.1.3): everything needed to build the association from a
 * COOKIE-ECHO (both verification tags, both initial TSNs, the peer's window, stream counts and extensions), a
 * creation timestamp checked against Valid.Cookie.Life, and an HMAC-SHA256 over all of it with a per-association
 * secret (§5.1.3 recommends a MAC so that the cookie needs no state and cannot be forged). The {@link Codec} owns
 * the secret and a {@link Mac}; both belong to one association and are used on its context only.
 */
record StateCookie(int localTag, int peerTag, int localInitialTsn, int peerInitialTsn, long peerARwnd,
                   int peerOutboundStreams, int peerInboundStreams, boolean peerForwardTsn, boolean peerReconfig,
                   long createdMillis) {

    private static final int VERSION = 1;
    private static final int BODY = 34;
    private static final int MAC_LEN = 32;
    static final int LENGTH = BODY + MAC_LEN;

    /** Signs and verifies cookies with one association's secret. */
    static final class Codec {
        private final Mac mac;

        Codec(byte[] secret) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }

        byte[] encode(StateCookie c) {
            byte[] b = new byte[LENGTH];
            b[0] = VERSION;
            WireBytes.put32(b, 1, c.localTag);
            WireBytes.put32(b, 5, c.peerTag);
            WireBytes.put32(b, 9, c.localInitialTsn);
            WireBytes.put32(b, 13, c.peerInitialTsn);
            WireBytes.put32(b, 17, c.peerARwnd);
            WireBytes.put16(b, 21, c.peerOutboundStreams);
            WireBytes.put16(b, 23, c.peerInboundStreams);
            b[25] = (byte) ((c.peerForwardTsn ? 1 : 0) | (c.peerReconfig ? 2 : 0));
            WireBytes.put32(b, 26, c.createdMillis >>> 32);
            WireBytes.put32(b, 30, c.createdMillis);
            mac.update(b, 0, BODY);
            byte[] tag = mac.doFinal();
            System.arraycopy(tag, 0, b, BODY, MAC_LEN);
            return b;
        }

        /**
         * Verifies and decodes; null when the length, version or MAC is wrong, or the cookie is older than
         * {@code lifetimeMillis} or from the future (§5.1.5 steps 1–3).
         */
        StateCookie decode(byte[] b, long nowMillis, long lifetimeMillis) {
            if (b == null || b.length != LENGTH || b[0] != VERSION) {
                return null;
            }
            mac.update(b, 0, BODY);
            byte[] expected = mac.doFinal();
            byte[] got = new byte[MAC_LEN];
            System.arraycopy(b, BODY, got, 0, MAC_LEN);
            if (!MessageDigest.isEqual(expected, got)) {
                return null;
            }
            long created = (WireBytes.u32(b, 26) << 32) | WireBytes.u32(b, 30);
            if (created > nowMillis + 1000 || nowMillis - created > lifetimeMillis) {
                return null;
            }
            return new StateCookie(WireBytes.i32(b, 1), WireBytes.i32(b, 5), WireBytes.i32(b, 9),
                    WireBytes.i32(b, 13), WireBytes.u32(b, 17), WireBytes.u16(b, 21), WireBytes.u16(b, 23),
                    (b[25] & 1) != 0, (b[25] & 2) != 0, created);
        }
    }
}
