package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class IceCandidatesTest {

    @Test
    void parsesChromeFirefoxAndSdpForms() {
        String chrome = "candidate:842163049 1 udp 1677729535 198.51.100.7 61665 typ srflx raddr 10.0.0.2 "
                + "rport 61665 generation 0 ufrag EsAw network-cost 999";
        IceCandidates.Parsed p = IceCandidates.parse(chrome, false);
        assertEquals(IceCandidates.Verdict.ACCEPTED, p.verdict());
        assertEquals("842163049", p.candidate().foundation());
        assertEquals(1677729535L, p.candidate().priority());
        assertEquals("198.51.100.7", p.candidate().address().getHostAddress());
        assertEquals(61665, p.candidate().port());
        assertEquals("srflx", p.candidate().type());
        assertEquals("EsAw", p.candidate().ufrag());

        assertEquals(IceCandidates.Verdict.ACCEPTED,
                IceCandidates.parse("0 1 UDP 2122252543 192.0.2.4 49203 typ host", false).verdict());
        assertEquals(IceCandidates.Verdict.ACCEPTED,
                IceCandidates.parse("a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host\r\n", false).verdict());
        assertEquals(IceCandidates.Verdict.ACCEPTED,
                IceCandidates.parse("candidate:3 1 udp 41885439 203.0.113.9 3478 typ relay raddr 0.0.0.0 rport 0",
                        false).verdict());
    }

    @Test
    void classifiesWhatItCannotUse() {
        assertEquals(IceCandidates.Verdict.IPV6_NOT_BOUND,
                IceCandidates.parse("candidate:1 1 udp 2122262783 2001:db8::1 50000 typ host", false).verdict());
        assertEquals(IceCandidates.Verdict.ACCEPTED,
                IceCandidates.parse("candidate:1 1 udp 2122262783 2001:db8::1 50000 typ host", true).verdict());
        assertEquals(IceCandidates.Verdict.MDNS,
                IceCandidates.parse("candidate:1 1 udp 2122262783 a-b-c.LOCAL 50000 typ host", true).verdict());
        assertEquals(IceCandidates.Verdict.TCP,
                IceCandidates.parse("candidate:1 1 TCP 1518280447 192.0.2.1 9 typ host tcptype active", false)
                        .verdict());
        assertEquals(IceCandidates.Verdict.END_OF_CANDIDATES, IceCandidates.parse("end-of-candidates", false).verdict());
        assertEquals(IceCandidates.Verdict.EMPTY, IceCandidates.parse(null, false).verdict());
        assertEquals(IceCandidates.Verdict.MALFORMED,
                IceCandidates.parse("candidate:1 1 udp 2130706431 127.0.0.1 0 typ host", false).verdict());
        assertEquals(IceCandidates.Verdict.MALFORMED,
                IceCandidates.parse("candidate:1 1 udp 2130706431 g::1 5000 typ host", true).verdict());
    }

    @Test
    void literalParserNeverResolvesNames() {
        assertEquals("10.1.2.3", IceCandidates.parseLiteral("10.1.2.3").getHostAddress());
        assertNotNull(IceCandidates.parseLiteral("::1"));
        assertNotNull(IceCandidates.parseLiteral("[2001:db8::5]"));
        assertNull(IceCandidates.parseLiteral("localhost"));
        assertNull(IceCandidates.parseLiteral("example.org"));
        assertNull(IceCandidates.parseLiteral("1.2.3"));
        assertNull(IceCandidates.parseLiteral("1.2.3.4.5"));
        assertNull(IceCandidates.parseLiteral("256.1.1.1"));
        assertNull(IceCandidates.parseLiteral("fe80::1%eth0"));
        assertNull(IceCandidates.parseLiteral("12:34:zz::1"));
    }

    @Test
    void formatsRfc8839Lines() {
        assertEquals("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host",
                IceCandidates.format("1", IceCandidates.priority(126, 65535), IceCandidates.loopbackV4(), 10000,
                        "host", null, 0));
        assertEquals("candidate:2 1 udp 1694498815 198.51.100.1 10000 typ srflx raddr 10.0.0.1 rport 10000",
                IceCandidates.format("2", IceCandidates.priority(100, 65535), IceCandidates.parseLiteral("198.51.100.1"),
                        10000, "srflx", IceCandidates.parseLiteral("10.0.0.1"), 10000));
    }
}
