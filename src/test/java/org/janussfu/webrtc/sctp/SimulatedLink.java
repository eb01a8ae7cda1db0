package org.janussfu.webrtc.sctp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Two in-process associations connected through a lossy link on a {@link VirtualClock}: seeded loss, duplication,
 * reordering (random extra delay) and base delay, and a switch that makes the link dead. Captures packets for the
 * fuzz corpus. Single-threaded.
 */
final class SimulatedLink {

    /** One end: its association and what its listener saw. */
    static final class End implements SctpTransport.Listener {
        SctpAssociation assoc;
        boolean established;
        String closed;
        final List<byte[]> messages = new ArrayList<>();
        final List<int[]> meta = new ArrayList<>(); // {stream, ppid}
        final List<int[]> resets = new ArrayList<>();

        @Override
        public void onEstablished() {
            established = true;
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] data, int off, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            messages.add(copy);
            meta.add(new int[] {streamId, ppid});
        }

        @Override
        public void onStreamsReset(int[] streamIds) {
            resets.add(streamIds.clone());
        }

        @Override
        public void onClosed(String reason) {
            closed = reason;
        }
    }

    final VirtualClock clock = new VirtualClock();
    final Random random;
    final End a = new End();
    final End b = new End();
    double loss;
    double duplicate;
    double reorder;
    long delayMillis = 10;
    boolean dead;
    boolean capture;
    final List<byte[]> captured = new ArrayList<>();
    long delivered;

    SimulatedLink(long seed, SctpConfig config) {
        random = new Random(seed);
        a.assoc = new SctpAssociation(5000, 5000, clock, (buf, off, len) -> carry(buf, off, len, b), a, config,
                new Random(seed * 31 + 1));
        b.assoc = new SctpAssociation(5000, 5000, clock, (buf, off, len) -> carry(buf, off, len, a), b, config,
                new Random(seed * 31 + 2));
    }

    private void carry(byte[] buf, int off, int len, End to) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        if (capture && captured.size() < 5000) {
            captured.add(copy);
        }
        if (dead || random.nextDouble() < loss) {
            return;
        }
        int copies = random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long d = delayMillis + (random.nextDouble() < reorder ? random.nextInt(40) : 0);
            clock.schedule(d, () -> {
                delivered++;
                to.assoc.receive(copy, 0, copy.length);
            });
        }
    }

    void startBoth() {
        a.assoc.start();
        b.assoc.start();
    }

    /** Runs events until the condition holds or {@code maxMillis} of virtual time pass. */
    boolean runUntil(java.util.function.BooleanSupplier cond, long maxMillis) {
        long limit = clock.nowMillis() + maxMillis;
        while (!cond.getAsBoolean()) {
            if (!clock.runNext(limit)) {
                return cond.getAsBoolean();
            }
        }
        return true;
    }
}
