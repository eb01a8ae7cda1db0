package org.janussfu.webrtc.ice;

import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.PooledPacket;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ice4j's receive buffers from our pool: tailroom, reuse, loans through {@link PooledPacket}, many threads. */
class IceBuffersTest {

    @Test
    void installedFunctionsServeArraysWithTailroomAndReuseThem() {
        IceSafety.apply(IceConfig.loopback(0));
        assertTrue(IceBuffers.isInstalled());
        // What AbstractUdpListener asks for: the datagram plus BYTES_TO_LEAVE_AT_END_OF_PACKET.
        Buffer b = BufferPool.getBuffer.invoke(1500 + IceSafety.TAILROOM);
        assertEquals(IceBuffers.CAPACITY, b.getBuffer().length);
        assertTrue(b.getBuffer().length - 1500 >= IceSafety.TAILROOM);
        assertTrue(IceBuffers.CAPACITY - 1500 >= 20, "SRTP GCM needs at least 20 spare bytes");
        BufferPool.returnBuffer.invoke(b);
    }

    @Test
    void aReturnedBufferIsHandedOutAgain() {
        IceBuffers pool = new IceBuffers(8);
        Buffer b = pool.take(100);
        assertEquals(1, pool.allocated());
        assertEquals(0, b.getOffset());
        assertEquals(100, b.getLength());
        b.setOffset(4);
        pool.giveBack(b);
        Buffer again = pool.take(300);
        assertSame(b, again);
        assertEquals(0, again.getOffset());
        assertEquals(300, again.getLength());
        assertEquals(1, pool.allocated());
    }

    @Test
    void oversizedAndForeignBuffersAreNotPooled() {
        IceBuffers pool = new IceBuffers(8);
        Buffer big = pool.take(IceBuffers.CAPACITY + 1);
        assertEquals(1, pool.oversized());
        pool.giveBack(big);
        pool.giveBack(new Buffer(new byte[10], 0, 10));
        pool.giveBack(null);
        pool.giveBack("not a buffer");
        assertNotSame(big, pool.take(10));
        assertEquals(1, pool.allocated());
    }

    @Test
    void aFullPoolLetsBuffersGo() {
        IceBuffers pool = new IceBuffers(4);
        Buffer[] out = {pool.take(10), pool.take(10), pool.take(10), pool.take(10), pool.take(10)};
        for (Buffer b : out) {
            pool.giveBack(b);
        }
        assertEquals(1, pool.discarded());
    }

    @Test
    void anAdoptedArrayGoesBackWhenThePacketIsReleasedOrRepointed() {
        IceBuffers lender = new IceBuffers(8);
        PacketPool packets = new PacketPool(8);

        Buffer b = lender.take(200);
        PooledPacket p = packets.acquire();
        p.adopt(b.getBuffer(), 0, 200, lender, b);
        assertSame(b.getBuffer(), p.buffer());
        assertTrue(p.tailroom() >= IceSafety.TAILROOM);
        p.release();
        assertSame(b, lender.take(10), "released packet returned the buffer");

        p = packets.acquire();
        p.adopt(b.getBuffer(), 0, 200, lender, b);
        assertTrue(p.copyFrom(b.getBuffer(), 0, 200, true), "copy from the lent array itself");
        assertNotSame(b.getBuffer(), p.buffer());
        assertSame(b, lender.take(10), "repointed packet returned the buffer");

        p.adopt(b.getBuffer(), 0, 200, lender, b);
        p.ownArray();
        assertSame(b, lender.take(10), "ownArray() ended the loan");
        p.release();
        assertEquals(1, lender.allocated());
    }

    @Test
    void manyThreadsNeverShareABuffer() throws Exception {
        IceBuffers pool = new IceBuffers(64);
        int threads = 4;
        int rounds = 50_000;
        AtomicInteger clashes = new AtomicInteger();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            byte mark = (byte) (t + 1);
            ts[t] = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    Buffer b = pool.take(100);
                    byte[] a = b.getBuffer();
                    a[0] = mark;
                    a[1] = mark;
                    Thread.onSpinWait();
                    if (a[0] != mark || a[1] != mark) {
                        clashes.incrementAndGet();
                    }
                    pool.giveBack(b);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, clashes.get());
        // Few threads hold a buffer at a time, but a thread preempted in the middle of a give-back makes the ring
        // look empty to the others for a moment (they allocate); with 4 threads on two busy cores that happened for
        // 29 % of the takes in one full-suite run. The bound only shows that buffers are reused at all; the
        // deterministic single-thread reuse is checked above. (In the server one ice4j reader thread takes.)
        assertTrue(pool.allocated() < threads * (long) rounds * 3 / 4, "allocated " + pool.allocated());
    }
}
