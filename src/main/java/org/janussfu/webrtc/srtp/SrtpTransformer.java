package org.janussfu.webrtc.srtp;

import java.util.concurrent.atomic.LongAdder;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP and SRTCP protection for one peer connection (RFC 3711; AES-GCM per RFC 7714), on top of jitsi-srtp.
 * It holds a sender and a receiver {@link SrtpContextFactory} built from {@link SrtpKeys} and derives one crypto
 * context per SSRC and direction on first use ({@code deriveContext(ssrc, 0)} / {@code deriveControlContext}),
 * cached in small open-addressing tables keyed by the primitive SSRC. Every method transforms the packet in place
 * and returns the new length, or one of the negative {@code ERR_*} codes, each counted; nothing throws. With
 * AEAD_AES_128_GCM, outgoing RTP goes through {@link SrtpGcmProtector} instead whenever jitsi-srtp's OpenSSL provider
 * is usable, because jitsi-srtp's GCM sender allocates per packet (docs/decisions/0007-srtp-gcm-protect.md), and
 * with AES128_CM_HMAC_SHA1_80 through {@link SrtpCmProtector} for the same reason (120 B per packet); RTCP and every
 * unprotect path stay on jitsi-srtp. Protect needs {@link #MIN_TAILROOM} spare bytes after the
 * packet (jitsi-srtp's GCM writes its 16-byte tag in place past the payload and would otherwise write past the
 * array), and refuses packets without it. A receive context is only kept once a packet has authenticated with
 * it, so forged packets with random SSRCs cannot fill the tables.
 *
 * <p>Single owner: the event loop of the handle that owns the peer connection. No locks (jitsi-srtp's own
 * per-context {@code synchronized} is uncontended), so never call it from two threads at once. Counters are
 * {@link LongAdder}s and may be read from any thread.
 */
public final class SrtpTransformer implements AutoCloseable {
    /** Spare bytes required after a packet handed to a protect method: SRTCP GCM needs 4 + 16. */
    public static final int MIN_TAILROOM = 20;

    /** Packet shorter than the fixed RTP (12) / RTCP (8) header plus, on receive, the trailer. */
    public static final int ERR_TOO_SHORT = -1;
    /** Fewer than {@link #MIN_TAILROOM} bytes after the packet: refused before jitsi-srtp sees it. */
    public static final int ERR_NO_TAILROOM = -2;
    /** Authentication tag did not verify (RFC 3711 §3.3 step 5 / RFC 7714 §9.2). */
    public static final int ERR_AUTH = -3;
    /** Replayed or too old for the replay window (RFC 3711 §3.3.2). */
    public static final int ERR_REPLAY = -4;
    /** Malformed packet (jitsi-srtp's verdict, or an RTP header extension running past the end). */
    public static final int ERR_INVALID = -5;
    /** Any other failure inside the crypto library. */
    public static final int ERR_FAIL = -6;
    /** More distinct SSRCs than {@link #MAX_SSRCS} in one direction. */
    public static final int ERR_TOO_MANY_SSRCS = -7;
    /** The transformer was closed. */
    public static final int ERR_CLOSED = -8;
    /** Offset or length outside the array. */
    public static final int ERR_BAD_REGION = -9;

    /** Most SSRCs per direction and packet kind (audio + video + RTX + simulcast layers fit easily). */
    public static final int MAX_SSRCS = 64;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final Logger LOGGER = new LoggerImpl(SrtpTransformer.class.getName());

    private final SrtpProfile profile;
    private final SrtpContextFactory sender;
    private final SrtpContextFactory receiver;
    /** Our own allocation-free GCM sender, or null (CM profile, or no usable OpenSSL provider: jitsi-srtp). */
    private final SrtpGcmProtector gcmOut;
    private final SrtpCmProtector cmOut;
    private final SsrcTable<SrtpCryptoContext> rtpOut = new SsrcTable<>();
    private final SsrcTable<SrtpCryptoContext> rtpIn = new SsrcTable<>();
    private final SsrcTable<SrtcpCryptoContext> rtcpOut = new SsrcTable<>();
    private final SsrcTable<SrtcpCryptoContext> rtcpIn = new SsrcTable<>();
    private final PacketBuffer view = new PacketBuffer();
    private boolean closed;

    private final LongAdder protectedPackets = new LongAdder();
    private final LongAdder unprotectedPackets = new LongAdder();
    private final LongAdder tooShort = new LongAdder();
    private final LongAdder noTailroom = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder tooManySsrcs = new LongAdder();

    /** Builds both factories from the keys; the caller may {@link SrtpKeys#wipe()} them afterwards. */
    public SrtpTransformer(SrtpKeys keys) {
        this.profile = keys.profile();
        this.sender = new SrtpContextFactory(true, keys.localKey(), keys.localSalt(),
                profile.srtpPolicy(), profile.srtcpPolicy(), LOGGER);
        this.receiver = new SrtpContextFactory(false, keys.remoteKey(), keys.remoteSalt(),
                profile.srtpPolicy(), profile.srtcpPolicy(), LOGGER);
        this.gcmOut = profile == SrtpProfile.AEAD_AES_128_GCM
                ? SrtpGcmProtector.create(keys.localKey(), keys.localSalt()) : null;
        this.cmOut = profile == SrtpProfile.AES128_CM_HMAC_SHA1_80
                ? SrtpCmProtector.create(keys.localKey(), keys.localSalt()) : null;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Encrypts and authenticates an RTP packet in place (RFC 3711 §3.3). Returns the new length or ERR_*. */
    public int protectRtp(byte[] buf, int off, int len) {
        int check = checkOutbound(buf, off, len, RTP_HEADER);
        if (check != 0) {
            return check;
        }
        if (gcmOut != null || cmOut != null) {
            int n = gcmOut != null ? gcmOut.protect(buf, off, len) : cmOut.protect(buf, off, len);
            if (n < 0) {
                return count(n);
            }
            protectedPackets.increment();
            return n;
        }
        int ssrc = readInt(buf, off + 8);
        SrtpCryptoContext ctx = rtpOut.get(ssrc);
        if (ctx == null) {
            ctx = deriveRtp(sender, ssrc);
            if (ctx == null) {
                return count(ERR_FAIL);
            }
            if (!rtpOut.put(ssrc, ctx)) {
                return count(ERR_TOO_MANY_SSRCS);
            }
        }
        view.wrap(buf, off, len);
        SrtpErrorStatus status;
        try {
            status = ctx.transformPacket(view);
        } catch (Exception e) {
            status = SrtpErrorStatus.FAIL;
        }
        return finish(status, buf, off, protectedPackets);
    }

    /** Authenticates and decrypts an SRTP packet in place. Returns the new length or ERR_*. */
    public int unprotectRtp(byte[] buf, int off, int len) {
        int check = checkInbound(buf, off, len, RTP_HEADER + profile.srtpTagLength());
        if (check != 0) {
            return check;
        }
        int ssrc = readInt(buf, off + 8);
        SrtpCryptoContext ctx = rtpIn.get(ssrc);
        boolean fresh = ctx == null;
        if (fresh) {
            if (rtpIn.isFull()) {
                return count(ERR_TOO_MANY_SSRCS);
            }
            ctx = deriveRtp(receiver, ssrc);
            if (ctx == null) {
                return count(ERR_FAIL);
            }
        }
        view.wrap(buf, off, len);
        SrtpErrorStatus status;
        try {
            status = ctx.reverseTransformPacket(view, false);
        } catch (Exception e) {
            status = SrtpErrorStatus.FAIL;
        }
        int result = finish(status, buf, off, unprotectedPackets);
        if (fresh && result >= 0) {
            rtpIn.put(ssrc, ctx);
        }
        return result;
    }

    /** Encrypts and authenticates an RTCP compound packet in place (RFC 3711 §3.4). New length or ERR_*. */
    public int protectRtcp(byte[] buf, int off, int len) {
        int check = checkOutbound(buf, off, len, RTCP_HEADER);
        if (check != 0) {
            return check;
        }
        int ssrc = readInt(buf, off + 4);
        SrtcpCryptoContext ctx = rtcpOut.get(ssrc);
        if (ctx == null) {
            ctx = deriveRtcp(sender, ssrc);
            if (ctx == null) {
                return count(ERR_FAIL);
            }
            if (!rtcpOut.put(ssrc, ctx)) {
                return count(ERR_TOO_MANY_SSRCS);
            }
        }
        view.wrap(buf, off, len);
        SrtpErrorStatus status;
        try {
            status = ctx.transformPacket(view);
        } catch (Exception e) {
            status = SrtpErrorStatus.FAIL;
        }
        return finish(status, buf, off, protectedPackets);
    }

    /** Authenticates and decrypts an SRTCP packet in place. Returns the new length or ERR_*. */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        int check = checkInbound(buf, off, len, RTCP_HEADER + profile.srtcpTrailerLength());
        if (check != 0) {
            return check;
        }
        int ssrc = readInt(buf, off + 4);
        SrtcpCryptoContext ctx = rtcpIn.get(ssrc);
        boolean fresh = ctx == null;
        if (fresh) {
            if (rtcpIn.isFull()) {
                return count(ERR_TOO_MANY_SSRCS);
            }
            ctx = deriveRtcp(receiver, ssrc);
            if (ctx == null) {
                return count(ERR_FAIL);
            }
        }
        view.wrap(buf, off, len);
        SrtpErrorStatus status;
        try {
            status = ctx.reverseTransformPacket(view);
        } catch (Exception e) {
            status = SrtpErrorStatus.FAIL;
        }
        int result = finish(status, buf, off, unprotectedPackets);
        if (fresh && result >= 0) {
            rtcpIn.put(ssrc, ctx);
        }
        return result;
    }

    private int checkOutbound(byte[] buf, int off, int len, int minLength) {
        if (closed) {
            return count(ERR_CLOSED);
        }
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return count(ERR_BAD_REGION);
        }
        if (len < minLength) {
            return count(ERR_TOO_SHORT);
        }
        if (buf.length - (off + len) < MIN_TAILROOM) {
            return count(ERR_NO_TAILROOM);
        }
        return 0;
    }

    private int checkInbound(byte[] buf, int off, int len, int minLength) {
        if (closed) {
            return count(ERR_CLOSED);
        }
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return count(ERR_BAD_REGION);
        }
        if (len < minLength) {
            return count(ERR_TOO_SHORT);
        }
        return 0;
    }

    private int finish(SrtpErrorStatus status, byte[] buf, int off, LongAdder okCounter) {
        byte[] after = view.getBuffer();
        int newOffset = view.getOffset();
        int newLength = view.getLength();
        view.clear();
        if (status != SrtpErrorStatus.OK) {
            return count(code(status));
        }
        if (after != buf || newOffset != off) {
            // Cannot happen with MIN_TAILROOM checked, but never hand back a packet that moved.
            return count(ERR_FAIL);
        }
        okCounter.increment();
        return newLength;
    }

    private static int code(SrtpErrorStatus status) {
        switch (status) {
            case AUTH_FAIL:
                return ERR_AUTH;
            case REPLAY_FAIL:
            case REPLAY_OLD:
                return ERR_REPLAY;
            case INVALID_PACKET:
                return ERR_INVALID;
            default:
                return ERR_FAIL;
        }
    }

    private int count(int code) {
        switch (code) {
            case ERR_TOO_SHORT:
            case ERR_BAD_REGION:
                tooShort.increment();
                break;
            case ERR_NO_TAILROOM:
                noTailroom.increment();
                break;
            case ERR_AUTH:
                authFailures.increment();
                break;
            case ERR_REPLAY:
                replays.increment();
                break;
            case ERR_INVALID:
                invalid.increment();
                break;
            case ERR_TOO_MANY_SSRCS:
                tooManySsrcs.increment();
                break;
            default:
                failures.increment();
                break;
        }
        return code;
    }

    private static SrtpCryptoContext deriveRtp(SrtpContextFactory factory, int ssrc) {
        try {
            return factory.deriveContext(ssrc, 0);
        } catch (Exception e) {
            return null;
        }
    }

    private static SrtcpCryptoContext deriveRtcp(SrtpContextFactory factory, int ssrc) {
        try {
            return factory.deriveControlContext(ssrc);
        } catch (Exception e) {
            return null;
        }
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    /** Human-readable name of an ERR_* code, for logs and stats (not for the packet path). */
    public static String describe(int code) {
        switch (code) {
            case ERR_TOO_SHORT: return "too short";
            case ERR_NO_TAILROOM: return "insufficient tailroom";
            case ERR_AUTH: return "authentication failed";
            case ERR_REPLAY: return "replay";
            case ERR_INVALID: return "invalid packet";
            case ERR_FAIL: return "crypto failure";
            case ERR_TOO_MANY_SSRCS: return "too many SSRCs";
            case ERR_CLOSED: return "closed";
            case ERR_BAD_REGION: return "bad region";
            default: return code >= 0 ? "ok" : "unknown";
        }
    }

    public long protectedPackets() {
        return protectedPackets.sum();
    }

    public long unprotectedPackets() {
        return unprotectedPackets.sum();
    }

    /** Packets refused as too short (or with an impossible offset/length). */
    public long tooShortCount() {
        return tooShort.sum();
    }

    public long noTailroomCount() {
        return noTailroom.sum();
    }

    public long authFailureCount() {
        return authFailures.sum();
    }

    public long replayCount() {
        return replays.sum();
    }

    public long invalidCount() {
        return invalid.sum();
    }

    /** Crypto-library failures, and calls after {@link #close()}. */
    public long failureCount() {
        return failures.sum();
    }

    public long tooManySsrcsCount() {
        return tooManySsrcs.sum();
    }

    /** Wipes the master keys and forgets every context; later calls return {@link #ERR_CLOSED}. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.close();
        receiver.close();
        if (cmOut != null) {
            cmOut.close();
        }
        if (gcmOut != null) {
            gcmOut.close();
        }
        rtpOut.clear();
        rtpIn.clear();
        rtcpOut.clear();
        rtcpIn.clear();
        view.clear();
    }
}
