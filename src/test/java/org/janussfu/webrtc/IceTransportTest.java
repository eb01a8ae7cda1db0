package org.janussfu.webrtc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IceTransportTest {
    private static IceHarvesters harvesters;

    @BeforeAll
    static void bind() throws IOException {
        harvesters = new IceHarvesters(IceConfig.loopback(0));
    }

    @AfterAll
    static void unbind() {
        harvesters.close();
    }

    @Test
    void connectsAndExchangesThousandDatagramsEachWay() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceTransport server = new IceTransport(harvesters, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            assertFalse(server.send(new byte[] {(byte) 0x80, 0, 0, 0}, 0, 4));
            long t0 = System.nanoTime();
            IceTestPeer.wire(server, client);
            String cpair = cp.awaitConnected(10);
            String spair = sp.awaitConnected(10);
            System.out.printf("connected in %.1f ms: client %s / server %s%n", (System.nanoTime() - t0) / 1e6, cpair, spair);
            assertTrue(client.isConnected());
            for (int i = 0; i < 1000; i++) {
                assertTrue(client.send(IceTestPeer.datagram(100, i), 0, 100));
                assertTrue(server.send(IceTestPeer.datagram(100, i), 0, 100));
                if (i % 100 == 99) {
                    Thread.sleep(5);
                }
            }
            long deadline = System.currentTimeMillis() + 5000;
            while ((sp.packets.get() < 1000 || cp.packets.get() < 1000) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1000, sp.packets.get());
            assertEquals(1000, cp.packets.get());
            assertEquals(1000, server.packetsSent());
            assertEquals(1000, server.packetsReceived());
            assertEquals(1000, sp.handedOver.get());
            assertEquals(0, cp.handedOver.get());
            assertEquals(0, sp.badPayload.get() + cp.badPayload.get());
            assertTrue(sp.tailroom >= IceSafety.TAILROOM, "tailroom " + sp.tailroom);
        }
    }
}
