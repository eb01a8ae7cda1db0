package org.janussfu.webrtc.sctp;

/**
 * Association setup (RFC 9260 §5.1, §5.2): our INIT, INIT-ACK answers with a signed {@link StateCookie}, COOKIE-ECHO
 * and COOKIE-ACK, T1-init retransmission with backoff (§5.1 C, §6.3.3 for the doubling), and the collision cases
 * WebRTC hits because both peers send INIT (RFC 8841 §5: simultaneous open). An INIT received in COOKIE-WAIT or
 * COOKIE-ECHOED is answered with our original tag (§5.2.1); afterwards with a fresh tag (§5.2.2), whose cookie we
 * then refuse since association restart is not supported. A COOKIE-ECHO is checked against the cookie's own tag
 * (§8.5.1 D) and handled per the §5.2.4 table: tags matching ours (cases B and D) establish or re-acknowledge, other
 * combinations are dropped. Tags and initial TSN are random per association. Part of the {@link SctpAssociation},
 * on its context; the association owns the state variable this class moves.
 */
final class AssociationHandshake {

    /** We advertise the maximum stream counts, as browsers do (RFC 8831 §6.2). */
    static final int STREAMS = 65535;
    /** Supported Extensions (RFC 5061 §4.2.7): FORWARD-TSN (RFC 3758) and RE-CONFIG (RFC 6525). */
    private static final int[] EXTENSIONS = {Chunk.FORWARD_TSN, Chunk.RE_CONFIG};

    private final SctpAssociation a;
    private final StateCookie.Codec cookies;
    private final TimerSlot t1;
    final int localTag;
    final int localInitialTsn;
    private long t1Rto;
    private int t1Retransmits;
    private ValueChunk cookieEcho;

    AssociationHandshake(SctpAssociation association, byte[] secret, int localTag, int localInitialTsn) {
        this.a = association;
        this.cookies = new StateCookie.Codec(secret);
        this.t1 = new TimerSlot(association.clock);
        this.localTag = localTag;
        this.localInitialTsn = localInitialTsn;
    }

    private InitChunk init(boolean ack, int tag, byte[] cookie, java.util.List<byte[]> unrecognized) {
        return new InitChunk(ack, tag, a.config.receiveWindow(), STREAMS, STREAMS, localInitialTsn, cookie, true,
                EXTENSIONS, unrecognized);
    }

    /** §5.1 A: send INIT, enter COOKIE-WAIT, start T1-init. */
    void start() {
        a.state = AssociationState.COOKIE_WAIT;
        t1Rto = a.config.rtoInitialMillis();
        t1Retransmits = 0;
        sendInit();
    }

    private void sendInit() {
        a.writer.sendAlone(0, init(false, localTag, null, java.util.List.of()));
        t1.start(t1Rto, a.timerTask(this::onT1));
    }

    private void onT1() {
        if (++t1Retransmits > a.config.maxInitRetransmissions()) {
            a.terminate("association setup timed out");
            return;
        }
        t1Rto = Math.min(a.config.rtoMaxMillis(), t1Rto * 2);
        if (a.state == AssociationState.COOKIE_WAIT) {
            sendInit();
        } else if (a.state == AssociationState.COOKIE_ECHOED && cookieEcho != null) {
            a.writer.sendAlone(a.peerTag, cookieEcho);
            t1.start(t1Rto, a.timerTask(this::onT1));
        }
    }

    void stop() {
        t1.stop();
    }

    /** An INIT (already checked to be alone with verification tag 0): answer with INIT-ACK, keep no state. */
    void onInit(InitChunk init) {
        if (init.initiateTag() == 0 || init.outboundStreams() == 0 || init.inboundStreams() == 0
                || init.aRwnd() < 1500) {
            a.counters.malformedChunks++; // §3.3.2: invalid mandatory values
            return;
        }
        AssociationState s = a.state;
        boolean setup = s == AssociationState.CLOSED || s == AssociationState.COOKIE_WAIT
                || s == AssociationState.COOKIE_ECHOED;
        int tag = setup ? localTag : a.randomTag();
        boolean fwd = init.forwardTsnSupported() || init.peerSupports(Chunk.FORWARD_TSN);
        StateCookie cookie = new StateCookie(tag, init.initiateTag(), localInitialTsn, init.initialTsn(),
                init.aRwnd(), init.outboundStreams(), init.inboundStreams(), fwd, init.peerSupports(Chunk.RE_CONFIG),
                a.clock.nowMillis());
        a.writer.sendAlone(init.initiateTag(), init(true, tag, cookies.encode(cookie), init.unrecognized()));
    }

    /** §5.1 C: INIT-ACK in COOKIE-WAIT: learn the peer, echo its cookie, enter COOKIE-ECHOED. */
    void onInitAck(InitChunk ack) {
        if (a.state != AssociationState.COOKIE_WAIT) {
            a.counters.outOfStateChunks++; // §5.2.3: discard
            return;
        }
        if (ack.initiateTag() == 0 || ack.outboundStreams() == 0 || ack.inboundStreams() == 0
                || ack.cookie() == null) {
            a.counters.malformedChunks++;
            return;
        }
        a.setupPeer(ack.initiateTag(), ack.initialTsn(), ack.aRwnd(), ack.outboundStreams(), ack.inboundStreams(),
                ack.forwardTsnSupported() || ack.peerSupports(Chunk.FORWARD_TSN),
                ack.peerSupports(Chunk.RE_CONFIG));
        cookieEcho = new ValueChunk(Chunk.COOKIE_ECHO, 0, ack.cookie());
        a.state = AssociationState.COOKIE_ECHOED;
        t1Rto = a.config.rtoInitialMillis();
        t1Retransmits = 0;
        a.writer.sendAlone(a.peerTag, cookieEcho);
        t1.start(t1Rto, a.timerTask(this::onT1));
    }

    /**
     * §5.1.5 and §5.2.4: a COOKIE-ECHO. Returns true when the rest of the packet may be processed (the association
     * is up with this peer).
     */
    boolean onCookieEcho(ValueChunk echo, int verificationTag) {
        StateCookie c = cookies.decode(echo.value(), a.clock.nowMillis(), a.config.cookieLifetimeMillis());
        if (c == null) {
            a.counters.invalidCookies++;
            return false;
        }
        if (verificationTag != c.localTag()) {
            a.counters.badVerificationTags++;
            return false;
        }
        if (c.localTag() != localTag) {
            a.counters.outOfStateChunks++; // §5.2.4 case A (peer restart): not supported in WebRTC
            return false;
        }
        AssociationState s = a.state;
        boolean settingUp = s == AssociationState.CLOSED || s == AssociationState.COOKIE_WAIT
                || s == AssociationState.COOKIE_ECHOED;
        if (!a.peerKnown) {
            a.setupPeer(c.peerTag(), c.peerInitialTsn(), c.peerARwnd(), c.peerOutboundStreams(),
                    c.peerInboundStreams(), c.peerForwardTsn(), c.peerReconfig());
        } else if (c.peerTag() != a.peerTag) {
            if (!settingUp) {
                a.counters.outOfStateChunks++; // §5.2.4 case C or a stale cookie: silently discard
                return false;
            }
            a.peerTag = c.peerTag(); // §5.2.4 case B: the peer's tag from the cookie wins
        }
        a.cookieAckPending = true;
        if (settingUp) {
            t1.stop();
            a.enterEstablished();
        }
        return true;
    }

    /** §5.1 E: COOKIE-ACK in COOKIE-ECHOED. */
    void onCookieAck() {
        if (a.state == AssociationState.COOKIE_ECHOED) {
            t1.stop();
            a.enterEstablished();
        }
    }
}
