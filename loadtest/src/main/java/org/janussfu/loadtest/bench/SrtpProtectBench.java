package org.janussfu.loadtest.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

import org.janussfu.webrtc.srtp.PacketBuffer;
import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;
import org.janussfu.webrtc.srtp.SrtpTransformer;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP cost of one RTP packet with the server's {@link SrtpTransformer} (our {@code SrtpGcmProtector} for GCM
 * protect, jitsi-srtp for everything else), per profile and packet size.
 * <ul>
 *   <li>{@code protect}: restores the plaintext from a template ({@code System.arraycopy}), stamps the next
 *       sequence number (so SRTP sees a fresh index, as on the wire) and protects in place.</li>
 *   <li>{@code protectJitsi}: the same, straight through jitsi-srtp's {@code SrtpCryptoContext.transformPacket}
 *       (what {@code protect} did for GCM before {@code SrtpGcmProtector}; for AES-CM it is still the path).</li>
 *   <li>{@code copyOnly}: the restore + stamp alone; subtract it from {@code protect}.</li>
 *   <li>{@code unprotect}: authenticates and decrypts a packet that a matching sender protected; the batch of
 *       fresh packets is made in an untimed per-invocation setup, so nothing needs subtracting.</li>
 * </ul>
 * Every op must succeed: the teardown fails the run if any packet was refused.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SrtpProtectBench {
    /** Packets unprotected per invocation (made fresh, untimed, before each invocation). */
    static final int BATCH = 128;

    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    SrtpProfile profile;

    @Param({"100", "1200"})
    int size;

    private byte[] template;
    private byte[] buf;
    private int seq;
    private SrtpTransformer sender;
    private SrtpKeys receiverKeys;

    @Setup(Level.Trial)
    public void setup() {
        template = BenchPackets.rtp(size, size <= BenchPackets.AUDIO_SIZE ? BenchPackets.AUDIO_PT
                : BenchPackets.VIDEO_PT, 0x11223344L, 1, 1000, 42);
        buf = new byte[size + BenchPackets.TAILROOM];
        SrtpKeys[] keys = BenchPackets.keyPair(profile, 7);
        sender = new SrtpTransformer(keys[0]);
        receiverKeys = keys[1];
    }

    @Benchmark
    public int protect() {
        System.arraycopy(template, 0, buf, 0, size);
        BenchPackets.setSequence(buf, 0, ++seq);
        return sender.protectRtp(buf, 0, size);
    }

    @Benchmark
    public int protectJitsi(JitsiSender j) {
        System.arraycopy(template, 0, j.buf, 0, size);
        BenchPackets.setSequence(j.buf, 0, ++j.seq);
        j.view.wrap(j.buf, 0, size);
        try {
            return j.context.transformPacket(j.view) == SrtpErrorStatus.OK ? j.view.getLength() : j.fail();
        } catch (GeneralSecurityException e) {
            return j.fail();
        }
    }

    @Benchmark
    public int copyOnly() {
        System.arraycopy(template, 0, buf, 0, size);
        BenchPackets.setSequence(buf, 0, ++seq);
        return buf[size - 1];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int unprotect(Inbound in) {
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += in.receiver.unprotectRtp(in.packets[i], 0, in.lengths[i]);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (sender.protectedPackets() > 0 && sender.protectedPackets() < seq) {
            throw new IllegalStateException("protect refused " + (seq - sender.protectedPackets()) + " packets");
        }
        sender.close();
    }

    /** jitsi-srtp's own sending context for the benchmark's SSRC, driven directly. */
    @State(Scope.Thread)
    public static class JitsiSender {
        final PacketBuffer view = new PacketBuffer();
        byte[] buf;
        int seq;
        SrtpCryptoContext context;
        private SrtpContextFactory factory;
        private long failed;

        @Setup(Level.Trial)
        public void setup(SrtpProtectBench b) throws GeneralSecurityException {
            buf = new byte[b.size + BenchPackets.TAILROOM];
            SrtpKeys keys = BenchPackets.keyPair(b.profile, 7)[0];
            factory = new SrtpContextFactory(true, keys.localKey(), keys.localSalt(), b.profile.srtpPolicy(),
                    b.profile.srtcpPolicy(), new LoggerImpl(SrtpProtectBench.class.getName()));
            context = factory.deriveContext(0x11223344, 0);
        }

        int fail() {
            failed++;
            return -1;
        }

        @TearDown(Level.Trial)
        public void check() {
            if (failed > 0) {
                throw new IllegalStateException("jitsi-srtp refused " + failed + " packets");
            }
            factory.close();
        }
    }

    /** Fresh protected packets for {@link #unprotect}, from a sender with its own sequence space. */
    @State(Scope.Thread)
    public static class Inbound {
        SrtpTransformer receiver;
        final byte[][] packets = new byte[BATCH][];
        final int[] lengths = new int[BATCH];
        private SrtpTransformer peer;
        private byte[] template;
        private int size;
        private int seq;
        private long made;

        @Setup(Level.Trial)
        public void setup(SrtpProtectBench b) {
            size = b.size;
            template = b.template;
            SrtpKeys[] keys = BenchPackets.keyPair(b.profile, 7);
            peer = new SrtpTransformer(keys[0]);
            receiver = new SrtpTransformer(b.receiverKeys);
            for (int i = 0; i < BATCH; i++) {
                packets[i] = new byte[size + BenchPackets.TAILROOM];
            }
        }

        @Setup(Level.Invocation)
        public void refill() {
            for (int i = 0; i < BATCH; i++) {
                System.arraycopy(template, 0, packets[i], 0, size);
                BenchPackets.setSequence(packets[i], 0, ++seq);
                int n = peer.protectRtp(packets[i], 0, size);
                if (n < 0) {
                    throw new IllegalStateException("protect failed: " + SrtpTransformer.describe(n));
                }
                lengths[i] = n;
            }
            made += BATCH;
        }

        @TearDown(Level.Trial)
        public void check() {
            long ok = receiver.unprotectedPackets();
            long bad = receiver.authFailureCount() + receiver.replayCount() + receiver.failureCount()
                    + receiver.invalidCount() + receiver.tooShortCount();
            if (bad > 0 || ok == 0) {
                throw new IllegalStateException("unprotect: " + ok + " ok, " + bad + " refused of " + made);
            }
            peer.close();
            receiver.close();
        }
    }
}
