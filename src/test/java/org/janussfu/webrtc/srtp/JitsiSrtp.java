package org.janussfu.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;

import org.jitsi.srtp.SrtpErrorStatus;

/** jitsi-srtp's own contexts for the same profile, master key and salt, one per SSRC (the reference in SRTP tests). */
final class JitsiSrtp implements AutoCloseable {
    private final org.jitsi.srtp.SrtpContextFactory factory;
    private final java.util.Map<Integer, org.jitsi.srtp.SrtpCryptoContext> contexts = new java.util.HashMap<>();
    private final boolean sender;

    JitsiSrtp(SrtpProfile profile, boolean sender, byte[] key, byte[] salt) {
        this.sender = sender;
        this.factory = new org.jitsi.srtp.SrtpContextFactory(sender, key.clone(), salt.clone(),
                profile.srtpPolicy(), profile.srtcpPolicy(),
                new org.jitsi.utils.logging2.LoggerImpl(JitsiSrtp.class.getName()));
    }

    private org.jitsi.srtp.SrtpCryptoContext context(byte[] buf, int off) throws GeneralSecurityException {
        int ssrc = (buf[off + 8] & 0xff) << 24 | (buf[off + 9] & 0xff) << 16 | (buf[off + 10] & 0xff) << 8
                | (buf[off + 11] & 0xff);
        org.jitsi.srtp.SrtpCryptoContext ctx = contexts.get(ssrc);
        if (ctx == null) {
            ctx = factory.deriveContext(ssrc, 0);
            contexts.put(ssrc, ctx);
        }
        return ctx;
    }

    int protect(byte[] buf, int off, int len) {
        return run(buf, off, len);
    }

    int unprotect(byte[] buf, int off, int len) {
        return run(buf, off, len);
    }

    private int run(byte[] buf, int off, int len) {
        PacketBuffer view = new PacketBuffer(buf, off, len);
        try {
            org.jitsi.srtp.SrtpCryptoContext ctx = context(buf, off);
            SrtpErrorStatus status = sender ? ctx.transformPacket(view) : ctx.reverseTransformPacket(view, false);
            assertTrue(view.getBuffer() == buf && view.getOffset() == off, "jitsi-srtp moved the packet");
            return status == SrtpErrorStatus.OK ? view.getLength() : -1 - status.ordinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}
