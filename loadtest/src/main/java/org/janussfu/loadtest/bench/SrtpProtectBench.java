package org.janussfu.loadtest.bench;

import java.util.concurrent.TimeUnit;

import org.janussfu.webrtc.SrtpKeys;
import org.janussfu.webrtc.SrtpProfile;
import org.janussfu.webrtc.SrtpTransformer;
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
 * SRTP cost of one RTP packet with the server's {@link SrtpTransformer} (jitsi-srtp underneath), per profile and
 * packet size.
 * <ul>
 *   <li>{@code protect}: restores the plaintext from a template ({@code System.arraycopy}), stamps the next
 *       sequence number (so SRTP sees a fresh index, as on the wire) and protects in place.</li>
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
