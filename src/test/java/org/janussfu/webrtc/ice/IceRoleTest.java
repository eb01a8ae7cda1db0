package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * ICE roles (RFC 8445 §6.1.1) and role conflicts (RFC 8445 §7.3.1.1) between a server-mode transport on the shared
 * port and a client-mode one, over 127.0.0.1: the offerer controls; when both sides claim the same role, the larger
 * tie-breaker ends up controlling — whichever side holds it — and the connection still comes up and carries data.
 */
class IceRoleTest {
    private static final long SMALL = 0x1000L;
    private static final long LARGE = 0x7000_0000_0000_0000L;
    private static IceHarvesters harvesters;

    @BeforeAll
    static void bind() throws IOException {
        harvesters = new IceHarvesters(IceConfig.loopback(0));
    }

    @AfterAll
    static void unbind() {
        harvesters.close();
    }

    /** No conflict: the side that offered controls, the other is controlled, and that is what both keep. */
    @ParameterizedTest(name = "server controlling = {0}")
    @CsvSource({"true", "false"})
    void offererControlsAnswererIsControlled(boolean serverOffered) throws Exception {
        connect(serverOffered, !serverOffered, LARGE, SMALL, serverOffered);
        connect(serverOffered, !serverOffered, SMALL, LARGE, serverOffered);
    }

    /**
     * Both claim the same role (a client that got the JSEP roles wrong): RFC 8445 §7.3.1.1 — the agent with the
     * larger tie-breaker is controlling afterwards, in both orders and for both wrong roles.
     */
    @ParameterizedTest(name = "both controlling = {0}, server tie-breaker larger = {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void roleConflictIsResolvedByTheTieBreaker(boolean bothControlling, boolean serverLarger) throws Exception {
        connect(bothControlling, bothControlling, serverLarger ? LARGE : SMALL, serverLarger ? SMALL : LARGE,
                serverLarger);
    }

    private static void connect(boolean serverControlling, boolean clientControlling, long serverTb, long clientTb,
                                boolean serverEndsControlling) throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceTransport server = new IceTransport(harvesters, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), false, cp)) {
            server.setControlling(serverControlling);
            client.setControlling(clientControlling);
            server.setTieBreaker(serverTb);
            client.setTieBreaker(clientTb);
            IceTestPeer.wire(server, client);
            cp.awaitConnected(15);
            sp.awaitConnected(15);
            assertEquals(serverEndsControlling, server.isControlling(), "server role");
            assertNotEquals(server.isControlling(), client.isControlling(), "exactly one side controls");
            IceTransportTest.exchange(server, sp, client, cp, 20);
        }
    }
}
