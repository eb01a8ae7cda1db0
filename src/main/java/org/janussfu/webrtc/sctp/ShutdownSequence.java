package org.janussfu.webrtc.sctp;

/**
 * Graceful close (RFC 9260 §9.2): SHUTDOWN once everything we sent is acknowledged, SHUTDOWN-ACK once everything is
 * acknowledged after the peer's SHUTDOWN, SHUTDOWN-COMPLETE to finish, the SHUTDOWN's cumulative TSN ack processed
 * like a SACK, and the T2-shutdown timer retransmitting with backoff and counting toward Association.Max.Retrans.
 * Both sides closing at once (SHUTDOWN received in SHUTDOWN-SENT) answers with SHUTDOWN-ACK. Part of the {@link
 * SctpAssociation}, on its context; the association owns the state variable this class moves.
 */
final class ShutdownSequence {

    private final SctpAssociation a;
    private final TimerSlot t2;

    ShutdownSequence(SctpAssociation association) {
        this.a = association;
        this.t2 = new TimerSlot(association.clock);
    }

    void stop() {
        t2.stop();
    }

    void onShutdown(ShutdownChunk c) {
        if (a.sender == null || a.state.compareTo(AssociationState.ESTABLISHED) < 0
                || a.state == AssociationState.SHUTDOWN_ACK_SENT) {
            a.counters.outOfStateChunks++;
            return;
        }
        if (a.sender.onSack(c.cumulativeTsnAck(), -1, new int[0], new int[0], a.clock.nowMillis())) {
            a.errorCount = 0;
        }
        if (a.state == AssociationState.SHUTDOWN_SENT) {
            sendShutdownAck(); // both sides closed at once
        } else {
            a.state = AssociationState.SHUTDOWN_RECEIVED;
            checkShutdown();
        }
    }

    void onShutdownAck() {
        if (a.state == AssociationState.SHUTDOWN_SENT || a.state == AssociationState.SHUTDOWN_ACK_SENT) {
            a.writer.sendAlone(a.peerTag, ValueChunk.of(Chunk.SHUTDOWN_COMPLETE));
            a.terminate("shutdown complete");
        } else {
            a.counters.outOfStateChunks++;
        }
    }

    void checkShutdown() {
        if (a.sender == null || !a.sender.drained()) {
            return;
        }
        if (a.state == AssociationState.SHUTDOWN_PENDING) {
            sendShutdown();
        } else if (a.state == AssociationState.SHUTDOWN_RECEIVED) {
            sendShutdownAck();
        }
    }

    void sendShutdown() {
        a.state = AssociationState.SHUTDOWN_SENT;
        a.control.add(new ShutdownChunk((int) a.receiver.cumAck()));
        t2.start(a.rto.rto(), a.timerTask(this::onT2));
    }

    private void sendShutdownAck() {
        a.state = AssociationState.SHUTDOWN_ACK_SENT;
        a.control.add(ValueChunk.of(Chunk.SHUTDOWN_ACK));
        t2.start(a.rto.rto(), a.timerTask(this::onT2));
    }

    private void onT2() {
        if (!a.countError()) {
            return;
        }
        a.rto.backoff();
        if (a.state == AssociationState.SHUTDOWN_SENT) {
            sendShutdown();
        } else if (a.state == AssociationState.SHUTDOWN_ACK_SENT) {
            sendShutdownAck();
        }
    }
}
