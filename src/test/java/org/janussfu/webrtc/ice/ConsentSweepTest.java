package org.janussfu.webrtc.ice;

import org.janussfu.testing.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one consent timer: every registered check runs each period, a cancelled one stops, a throwing one does not stop
 * the others; and a server transport whose peer vanished still loses consent through it (RFC 7675 §5.1).
 */
class ConsentSweepTest {

    @Test
    void runsEveryCheckUntilCancelledWhateverOneThrows() throws Exception {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1);
        try {
            ConsentSweep sweep = new ConsentSweep(ex);
            AtomicInteger a = new AtomicInteger();
            AtomicInteger b = new AtomicInteger();
            ConsentSweep.Entry ea = sweep.add(a::incrementAndGet);
            sweep.add(b::incrementAndGet);
            sweep.add(() -> {
                throw new IllegalStateException("a check that throws (logged)");
            });
            assertEquals(1, ex.getQueue().size(), "one task for all checks");
            assertEquals(3, sweep.size());
            Poll.until(() -> a.get() >= 3 && b.get() >= 3, 10_000);
            ea.cancel();
            ea.cancel(); // twice is harmless
            assertEquals(2, sweep.size());
            int stopped = a.get() + 1; // at most one sweep was running while it was cancelled
            int from = b.get();
            Poll.until(() -> b.get() >= from + 3, 10_000);
            assertTrue(a.get() <= stopped, "a cancelled check ran again: " + a.get() + " > " + stopped);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void aVanishedPeerLosesConsent() throws Exception {
        IceConfig d = IceConfig.loopback(0);
        IceConfig shortConsent = new IceConfig(d.bindAddresses(), 0, d.advertisedAddress(), d.keepHostCandidates(),
                d.stunServer(), true, d.connectTimeout(), Duration.ofSeconds(2));
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceHarvesters h = new IceHarvesters(shortConsent);
             IceTransport server = new IceTransport(h, false, sp)) {
            IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp);
            IceTestPeer.wire(server, client);
            cp.awaitConnected(10);
            sp.awaitConnected(10);
            client.close(); // no more consent responses
            String reason = sp.failure.get(20, TimeUnit.SECONDS);
            assertTrue(reason.contains("ICE consent lost"), reason);
        }
    }
}
