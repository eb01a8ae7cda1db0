package org.janussfu.webrtc.srtp;

import java.util.Arrays;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association, split into the half we protect with (local) and
 * the half the peer protects with (remote). Built from the RFC 5764 §4.2 exporter output (label
 * {@code EXTRACTOR-dtls_srtp}, no context, length 2 * (key + salt)), which is laid out as
 * {@code client_write_SRTP_master_key | server_write_SRTP_master_key | client_write_SRTP_master_salt |
 * server_write_SRTP_master_salt}. The DTLS client protects with the client half, the server with the server
 * half. Created once per handshake on the DTLS worker and handed to the media owner; the arrays are not copied
 * again, so treat them as read-only. {@link #toString()} never prints key material.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey,
                       byte[] remoteSalt) {

    public SrtpKeys {
        if (profile == null) {
            throw new IllegalArgumentException("profile");
        }
        check(localKey, profile.keyLength(), "localKey");
        check(remoteKey, profile.keyLength(), "remoteKey");
        check(localSalt, profile.saltLength(), "localSalt");
        check(remoteSalt, profile.saltLength(), "remoteSalt");
    }

    private static void check(byte[] value, int expected, String name) {
        if (value == null || value.length != expected) {
            throw new IllegalArgumentException(name + " must be " + expected + " bytes");
        }
    }

    /**
     * Splits exporter output (RFC 5764 §4.2) for the given DTLS role.
     *
     * @param material   exactly {@link SrtpProfile#exporterLength()} bytes
     * @param dtlsClient whether we are the DTLS client (we protect with the client half), else the server
     */
    public static SrtpKeys fromExporter(SrtpProfile profile, byte[] material, boolean dtlsClient) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (material == null || material.length != 2 * (k + s)) {
            throw new IllegalArgumentException("exporter output must be " + 2 * (k + s) + " bytes");
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return dtlsClient
                ? new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    /** Overwrites the key material with zeros; call once the SRTP contexts have been derived. */
    public void wipe() {
        Arrays.fill(localKey, (byte) 0);
        Arrays.fill(localSalt, (byte) 0);
        Arrays.fill(remoteKey, (byte) 0);
        Arrays.fill(remoteSalt, (byte) 0);
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + ", redacted]";
    }
}
