package org.janussfu.webrtc.srtp;

import org.jitsi.srtp.SrtpPolicy;

/**
 * The DTLS-SRTP protection profiles this server negotiates (RFC 5764 §4.1.2 use_srtp), in our order of
 * preference: AEAD_AES_128_GCM (RFC 7714 §14.2, id 0x0007) first because it is several times cheaper per
 * packet than AES-CM + HMAC-SHA1 here, then SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2, id 0x0001), which
 * browsers still often pick. Each constant carries the master key and salt lengths that RFC 5764 §4.2 key
 * export needs and builds the jitsi-srtp {@link SrtpPolicy} objects for SRTP and SRTCP. Immutable; any thread.
 */
public enum SrtpProfile {
    /** RFC 7714: AES-128 in GCM, 16-byte key, 12-byte salt, 16-byte tag on both SRTP and SRTCP. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    /** RFC 3711 default transforms: AES-128 counter mode, 14-byte salt, 80-bit HMAC-SHA1 tag on SRTP and SRTCP. */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10, 10);

    /** HMAC-SHA1 authentication key length (RFC 3711 §8.2: n_a = 160 bits). */
    private static final int HMAC_SHA1_KEY_LENGTH = 20;

    private static final SrtpProfile[] PREFERENCE = values();

    private final int useSrtpId;
    private final int keyLength;
    private final int saltLength;
    private final int srtpTagLength;
    private final int srtcpTagLength;

    SrtpProfile(int useSrtpId, int keyLength, int saltLength, int srtpTagLength, int srtcpTagLength) {
        this.useSrtpId = useSrtpId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.srtpTagLength = srtpTagLength;
        this.srtcpTagLength = srtcpTagLength;
    }

    /** The SRTPProtectionProfile value carried in the use_srtp extension (RFC 5764 §4.1.2, RFC 7714 §14.2). */
    public int useSrtpId() {
        return useSrtpId;
    }

    /** Master key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Bytes the SRTP transform appends to an RTP packet (the authentication tag). */
    public int srtpTagLength() {
        return srtpTagLength;
    }

    /** Bytes the SRTCP transform appends to an RTCP packet: E flag + 31-bit index (RFC 3711 §3.4) plus the tag. */
    public int srtcpTrailerLength() {
        return 4 + srtcpTagLength;
    }

    /** Length of the RFC 5764 §4.2 exporter output this profile needs: 2 * (key + salt). */
    public int exporterLength() {
        return 2 * (keyLength + saltLength);
    }

    /** A new jitsi-srtp policy for SRTP (policies are mutable, so each caller gets its own). */
    public SrtpPolicy srtpPolicy() {
        return policy(srtpTagLength);
    }

    /** A new jitsi-srtp policy for SRTCP. */
    public SrtpPolicy srtcpPolicy() {
        return policy(srtcpTagLength);
    }

    private SrtpPolicy policy(int tagLength) {
        if (this == AEAD_AES_128_GCM) {
            return new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyLength,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, tagLength, saltLength);
        }
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyLength,
                SrtpPolicy.HMACSHA1_AUTHENTICATION, HMAC_SHA1_KEY_LENGTH, tagLength, saltLength);
    }

    /** Our use_srtp offer, most preferred first (RFC 5764 §4.1.1: the list is in the sender's preference order). */
    public static int[] useSrtpIds() {
        int[] ids = new int[PREFERENCE.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = PREFERENCE[i].useSrtpId;
        }
        return ids;
    }

    /** The profile with this use_srtp id, or {@code null} if we do not support it. */
    public static SrtpProfile fromUseSrtpId(int id) {
        for (SrtpProfile p : PREFERENCE) {
            if (p.useSrtpId == id) {
                return p;
            }
        }
        return null;
    }

    /**
     * Server-side choice (RFC 5764 §4.1.2): the first profile in OUR preference order that the client offered,
     * or {@code null} if there is none in common.
     */
    public static SrtpProfile selectFrom(int[] offered) {
        if (offered == null) {
            return null;
        }
        for (SrtpProfile p : PREFERENCE) {
            for (int id : offered) {
                if (id == p.useSrtpId) {
                    return p;
                }
            }
        }
        return null;
    }
}
