package org.janussfu.webrtc.srtp;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;

/**
 * Fixes which AES implementation jitsi-srtp uses and pays its one-time start-up cost at process start, off the
 * event loops. Left alone, jitsi-srtp benchmarks every provider it can find (OpenSSL, SunJCE, Bouncy Castle,
 * PKCS#11) on the first SRTP context of each transformation — about 2.7 s of CPU on this box, inside
 * {@code Aes.createCipher}, which is {@code synchronized} and so ran on (and stalled) the event loop of the first
 * PeerConnection, and picked a different provider from run to run. We pin jitsi's OpenSSL provider when its
 * native library loaded (AES-NI through OpenSSL 3, and no per-packet garbage for AES-CTR, unlike SunJCE's CTR),
 * else the JDK's SunJCE, and create one cipher of each transformation on a daemon thread so that the remaining
 * warm-up (jitsi still times its single candidate) is done before the first user arrives. A context created
 * while the warm-up runs waits for it on jitsi's lock, as before. Process-global; {@link #start()} is idempotent
 * and thread-safe.
 */
public final class SrtpCipherChoice {
    private static final Logger LOG = Logger.getLogger(SrtpCipherChoice.class.getName());
    private static final List<String> TRANSFORMATIONS =
            List.of("AES/GCM/NoPadding", "AES/CTR/NoPadding", "AES/ECB/NoPadding");
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private SrtpCipherChoice() {
    }

    /** Pins the provider and starts the warm-up thread, once per process. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        String factory = JitsiOpenSslProvider.isLoaded() ? "OpenSSL" : "SunJCE";
        Aes.setFactoryClassName(factory);
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            for (String transformation : TRANSFORMATIONS) {
                try {
                    Aes.createCipher(transformation);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "SRTP cipher warm-up failed for " + transformation, e);
                }
            }
            LOG.info(() -> "SRTP ciphers: jitsi-srtp pinned to " + factory + ", ready in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }, "srtp-cipher-warmup");
        t.setDaemon(true);
        t.start();
    }
}
