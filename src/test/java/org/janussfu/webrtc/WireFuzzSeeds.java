package org.janussfu.webrtc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.janussfu.rtp.RtcpFeedback;
import org.janussfu.rtp.RtcpReports;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.testing.FuzzChecks;
import org.janussfu.webrtc.dtls.DtlsCertificate;
import org.janussfu.webrtc.dtls.DtlsFingerprint;
import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.dtls.DtlsTransport;
import org.janussfu.webrtc.srtp.RtpSample;
import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;

/**
 * Writes the seed corpora of the media-plane fuzz targets (RTP, RTCP, STUN, DTLS demux) from real traffic shapes:
 * {@link RtpSample} packets (CSRCs, one- and two-byte header extensions, padding), the loadtest probe's plain RTP,
 * the RTCP our own writers emit plus a Chromium-shaped RR/SDES/REMB compound and NACKs, Chromium-shaped STUN binding
 * requests with a valid MESSAGE-INTEGRITY and FINGERPRINT, and a real DTLS 1.2 ClientHello flight captured from our
 * client role. Run from the project root: {@code java -cp ... org.janussfu.webrtc.WireFuzzSeeds}. Main thread only.
 */
public final class WireFuzzSeeds {
    private WireFuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        rtp();
        rtcp();
        stun();
        dtls();
        System.exit(0);
    }

    private static void rtp() throws ClassNotFoundException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("opus-plain", new RtpSample(0x11223344, 1000, 0, RtpSample.EXT_NONE, 0, 80, 1).place(0, 0));
        s.put("vp8-one-byte-ext", new RtpSample(0x55667788, 65535, 0, RtpSample.EXT_ONE_BYTE, 0, 1100, 2).place(0, 0));
        s.put("vp8-two-byte-ext", new RtpSample(0x55667788, 7, 0, RtpSample.EXT_TWO_BYTE, 0, 600, 3).place(0, 0));
        s.put("csrcs-ext-padding", new RtpSample(1, 2, 3, RtpSample.EXT_ONE_BYTE, 20, 200, 4).place(0, 0));
        s.put("padding-only", new RtpSample(9, 9, 0, RtpSample.EXT_NONE, 255, 267, 5).place(0, 0));
        byte[] probe = new byte[12 + 160];
        RtpHeader.write(probe, 0, 111, 4242, 960_000, 0xCAFEBABEL);
        probe[1] |= (byte) 0x80;
        s.put("loadtest-probe", probe);
        FuzzChecks.writeSeeds(Class.forName("org.janussfu.rtp.RtpPacketFuzzTest"), "rtpPacket", s);
    }

    private static void rtcp() throws ClassNotFoundException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        byte[] b = new byte[256];
        int n = RtcpReports.writeSenderReport(b, 0, 0x11223344, RtcpReports.ntp(1_700_000_000_000L), 48000, 100, 16000);
        s.put("sr-sdes", java.util.Arrays.copyOf(b, n));
        s.put("pli", java.util.Arrays.copyOf(b, RtcpFeedback.writePli(b, 0, 1, 0x55667788)));
        s.put("fir", java.util.Arrays.copyOf(b, RtcpFeedback.writeFir(b, 0, 1, 0x55667788, 3)));
        ByteBuffer c = ByteBuffer.allocate(200);
        // Chromium receiver: RR with one block, SDES CNAME, REMB (PSFB FMT 15), generic NACK with a bitmask
        c.put((byte) 0x81).put((byte) 201).putShort((short) 7).putInt(1).putInt(0x55667788).putInt(0x01000002)
                .putInt(70000).putInt(12).putInt(0x12345678).putInt(65536);
        c.put((byte) 0x81).put((byte) 202).putShort((short) 6).putInt(1).put((byte) 1).put((byte) 16)
                .put("abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII)).put(new byte[6]);
        c.put((byte) 0x8f).put((byte) 206).putShort((short) 5).putInt(1).putInt(0).put("REMB".getBytes(
                StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0x0f).putShort((short) 0x4240).putInt(0x55667788);
        c.put((byte) 0x81).put((byte) 205).putShort((short) 4).putInt(1).putInt(0x55667788).putShort((short) 100)
                .putShort((short) 0x8001).putShort((short) 65535).putShort((short) 0xffff);
        s.put("chrome-rr-sdes-remb-nack", java.util.Arrays.copyOf(c.array(), c.position()));
        FuzzChecks.writeSeeds(Class.forName("org.janussfu.rtp.RtcpFuzzTest"), "rtcpCompound", s);
    }

    private static void stun() throws Exception {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("chrome-binding-request", binding("srvUfrag:cliUfrag", "serverpassword0123456789", true));
        s.put("firefox-binding-request", binding("srvUfrag:abcd", "serverpassword0123456789", false));
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attr(attrs, 0x0020, new byte[] {0, 1, (byte) (0x9c40 >>> 8 ^ 0x21), (byte) (0x9c40 ^ 0x12), 0x7f ^ 0x21, 0x12,
            (byte) 0xa4, 0x42 ^ 1});
        s.put("binding-success-xor-mapped", stunMessage(0x0101, attrs.toByteArray()));
        FuzzChecks.writeSeeds(Class.forName("org.janussfu.webrtc.ice.StunFuzzTest"), "stunDatagram", s);
    }

    private static byte[] binding(String username, String pwd, boolean chrome) throws Exception {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        attr(a, 0x0006, username.getBytes(StandardCharsets.UTF_8));
        if (chrome) {
            attr(a, 0xC057, new byte[] {0, 1, 0, 10});
        }
        attr(a, 0x802A, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        attr(a, 0x0025, new byte[0]);
        attr(a, 0x0024, new byte[] {0x6e, 0x7f, 0x1e, (byte) 0xff});
        byte[] body = a.toByteArray();
        // MESSAGE-INTEGRITY over the message with its length covering the integrity attribute (RFC 8489 §14.5)
        byte[] pre = stunMessage(0x0001, body, body.length + 24);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(pwd.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        attr(a, 0x0008, mac.doFinal(pre));
        body = a.toByteArray();
        byte[] preFp = stunMessage(0x0001, body, body.length + 8);
        CRC32 crc = new CRC32();
        crc.update(preFp);
        attr(a, 0x8028, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ 0x5354554e).array());
        return stunMessage(0x0001, a.toByteArray());
    }

    private static void attr(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >>> 8);
        out.write(type);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int i = value.length; i % 4 != 0; i++) {
            out.write(0);
        }
    }

    private static byte[] stunMessage(int type, byte[] attrs) {
        return stunMessage(type, attrs, attrs.length);
    }

    private static byte[] stunMessage(int type, byte[] attrs, int declaredLength) {
        ByteBuffer b = ByteBuffer.allocate(20 + attrs.length);
        b.putShort((short) type).putShort((short) declaredLength).putInt(0x2112A442);
        b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}).put(attrs);
        return b.array();
    }

    private static void dtls() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        List<byte[]> flight = new CopyOnWriteArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        DtlsTransport client = new DtlsTransport(DtlsRole.CLIENT, cert, DtlsFingerprint.parse(cert.fingerprint()),
                worker, (b, o, l) -> flight.add(java.util.Arrays.copyOfRange(b, o, o + l)),
                new DtlsTransport.Listener() {
                    @Override
                    public void onConnected(SrtpProfile profile, SrtpKeys keys, String cipherSuiteName) {
                    }

                    @Override
                    public void onFailed(String reason) {
                    }
                }, Duration.ofSeconds(3));
        client.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (flight.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        client.close();
        worker.shutdownNow();
        if (flight.isEmpty()) {
            throw new IllegalStateException("no ClientHello captured");
        }
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("client-hello", framed(List.of(flight.get(0))));
        List<byte[]> mixed = new ArrayList<>();
        mixed.add(flight.get(0));
        mixed.add(new byte[] {0, 1, 0, 0, 0x21, 0x12, (byte) 0xa4, 0x42});                       // STUN
        mixed.add(new RtpSample(1, 1, 0, RtpSample.EXT_NONE, 0, 40, 6).place(0, 0));            // SRTP
        mixed.add(new byte[] {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0});      // app data header
        mixed.add(new byte[] {21, (byte) 0xfe, (byte) 0xff, 0, 0});                              // short alert
        s.put("mixed-demux", framed(mixed));
        FuzzChecks.writeSeeds(Class.forName("org.janussfu.webrtc.dtls.DtlsDemuxFuzzTest"), "demuxDatagrams", s);
    }

    private static byte[] framed(List<byte[]> datagrams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] d : datagrams) {
            out.write(d.length >>> 8);
            out.write(d.length);
            out.writeBytes(d);
        }
        return out.toByteArray();
    }
}
