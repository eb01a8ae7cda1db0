package org.janussfu.webrtc.dtls;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the DTLS side of the RFC 7983 §7 demultiplexer: the
 * input is a run of datagrams ({@code u16 length, bytes}) classified by first byte as {@code PeerConnection} does
 * (0..3 STUN, 20..63 DTLS, 128..191 RTP/RTCP), the DTLS ones handed to {@link DtlsTransport#receive} of a transport
 * that has not started (its record-header gate and bounded queue), and the same datagrams through a
 * {@link DtlsDatagramQueue} in post-handshake mode. Invariants: nothing throws; every DTLS-class datagram is counted
 * exactly once as received, dropped or garbage; nothing beyond the queue capacity is kept; what the queue hands to
 * Bouncy Castle is byte-for-byte what arrived, in order, and records larger than BC's buffer are skipped, never
 * truncated. Seeds: a real DTLS 1.2 ClientHello flight from our client role and record-header shapes
 * (see {@link org.janussfu.webrtc.WireFuzzSeeds}). JUnit thread.
 */
class DtlsDemuxFuzzTest {
    private static DtlsCertificate certificate;
    private static DtlsFingerprint fingerprint;

    @BeforeAll
    static void certificate() {
        certificate = DtlsCertificate.generate();
        fingerprint = DtlsFingerprint.parse(certificate.fingerprint());
    }

    @FuzzTest(maxDuration = "60s")
    void demuxDatagrams(byte[] data) throws IOException {
        List<byte[]> datagrams = split(data);
        DtlsTransport t = new DtlsTransport(DtlsRole.SERVER, certificate, fingerprint, Runnable::run,
                (b, o, l) -> { }, new DtlsTransport.Listener() {
                    @Override
                    public void onConnected(SrtpProfile profile, SrtpKeys keys, String cipherSuiteName) {
                    }

                    @Override
                    public void onFailed(String reason) {
                    }
                });
        DtlsDatagramQueue q = new DtlsDatagramQueue(DtlsTransport.QUEUE_CAPACITY, (b, o, l) -> { });
        q.handshakeDone();
        int dtlsClass = 0;
        List<byte[]> expected = new ArrayList<>();
        for (byte[] d : datagrams) {
            int b0 = d.length < 1 ? -1 : d[0] & 0xff;
            if (b0 >= 20 && b0 <= 63) {
                dtlsClass++;
                t.receive(d, 0, d.length);
                require(DtlsTransport.looksLikeDtls(d[0]), "RFC 7983 DTLS range");
                if (q.offer(d, 0, d.length)) {
                    expected.add(d);
                }
            } else {
                require(b0 < 0 || !DtlsTransport.looksLikeDtls(d[0]), "RFC 7983 non-DTLS range");
            }
        }
        long counted = t.receivedRecords() + t.droppedRecords() + t.garbageRecords();
        require(counted == dtlsClass, "counted " + counted + " of " + dtlsClass + " DTLS datagrams");
        require(t.receivedRecords() <= DtlsTransport.QUEUE_CAPACITY, "queue kept more than its capacity");
        require(expected.size() <= DtlsTransport.QUEUE_CAPACITY, "datagram queue kept more than its capacity");
        byte[] buf = new byte[DtlsDatagramQueue.RECEIVE_LIMIT];
        int next = 0;
        for (;;) {
            int n;
            try {
                n = q.receive(buf, 0, 600, 0);
            } catch (IOException e) {
                require(q.isDrained(e), "queue read failed: " + e);
                break;
            }
            while (next < expected.size() && expected.get(next).length > 600) {
                next++; // skipped: larger than the reader's buffer
            }
            require(next < expected.size(), "queue returned a record that was never offered");
            byte[] want = expected.get(next++);
            require(n == want.length && Arrays.equals(buf, 0, n, want, 0, n), "queue changed a record");
        }
        while (next < expected.size() && expected.get(next).length > 600) {
            next++;
        }
        require(next == expected.size(), "queue lost records");
        t.close();
        q.close();
    }

    /** {@code u16 length, bytes} records; a short tail is the last datagram. */
    static List<byte[]> split(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (p < data.length && out.size() < 400) {
            if (p + 2 > data.length) {
                out.add(Arrays.copyOfRange(data, p, data.length));
                break;
            }
            int len = ((data[p] & 0xff) << 8) | (data[p + 1] & 0xff);
            int end = Math.min(data.length, p + 2 + len);
            out.add(Arrays.copyOfRange(data, p + 2, end));
            p = end;
        }
        return out;
    }
}
