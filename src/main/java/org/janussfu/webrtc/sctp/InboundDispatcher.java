package org.janussfu.webrtc.sctp;

import java.util.List;

/**
 * Inbound packet processing of one association: decodes the packet ({@link SctpPacket}), checks the ports and the
 * verification tag (RFC 9260 §8.5, with the §8.5.1 rules for INIT, ABORT, SHUTDOWN-COMPLETE and COOKIE-ECHO), then
 * hands each chunk to the part of the association that owns it, in packet order, stopping if the association ends
 * midway. DATA without user data aborts (§6.2), DATA on a stream beyond the negotiated count is answered with an
 * ERROR (§3.3.10.1), unknown chunk types are reported when their type asks for it (§3.2). Part of the {@link
 * SctpAssociation}, on its context.
 */
final class InboundDispatcher {

    private final SctpAssociation a;

    InboundDispatcher(SctpAssociation association) {
        this.a = association;
    }

    void onPacket(byte[] buf, int off, int len) {
        a.counters.packetsIn++;
        if (a.terminated) {
            a.counters.outOfStateChunks++;
            return;
        }
        SctpPacket p = SctpPacket.decode(buf, off, len, a.counters);
        if (p == null) {
            return;
        }
        if (p.destinationPort() != a.localPort || p.sourcePort() != a.remotePort) {
            a.counters.wrongPorts++;
            return;
        }
        List<Chunk> chunks = p.chunks();
        Chunk first = chunks.get(0);
        int vtag = p.verificationTag();
        int startIndex = 0;
        if (first.type() == Chunk.INIT) {
            // §8.5.1 A: an INIT travels alone with tag 0.
            if (chunks.size() != 1 || vtag != 0) {
                a.counters.badVerificationTags++;
                return;
            }
            a.handshake.onInit((InitChunk) first);
            return;
        } else if (first.type() == Chunk.ABORT || first.type() == Chunk.SHUTDOWN_COMPLETE) {
            // §8.5.1 B, C: with the T bit the tag is the peer's own, else ours.
            boolean reflected = (first.flags() & Chunk.FLAG_T) != 0;
            if (reflected ? !a.peerKnown || vtag != a.peerTag : vtag != a.handshake.localTag) {
                a.counters.badVerificationTags++;
                return;
            }
        } else if (first.type() == Chunk.COOKIE_ECHO) {
            if (!a.handshake.onCookieEcho((ValueChunk) first, vtag)) {
                return;
            }
            startIndex = 1;
        } else if (vtag != a.handshake.localTag) {
            a.counters.badVerificationTags++; // §8.5
            return;
        }
        boolean dataSeen = false;
        for (int i = startIndex; i < chunks.size() && !a.terminated; i++) {
            Chunk c = chunks.get(i);
            if (c instanceof DataChunk d) {
                onData(d);
                dataSeen = true;
            } else if (c instanceof ForwardTsnChunk f) {
                if (a.receiver != null && a.state.canReceiveData()) {
                    a.receiver.onForwardTsn(f);
                    dataSeen = true;
                } else {
                    a.counters.outOfStateChunks++;
                }
            } else {
                onControl(c);
            }
        }
        if (dataSeen && !a.terminated && a.receiver != null) {
            a.receiver.endOfPacket();
            a.resets.checkDeferred(a.receiver);
            if (a.state == AssociationState.SHUTDOWN_SENT) {
                a.receiver.requestSack(); // §9.2: answer DATA in SHUTDOWN-SENT with SACK and SHUTDOWN, restart T2
                a.shutdown.sendShutdown();
            }
        }
    }

    private void onData(DataChunk d) {
        if (a.receiver == null || !a.state.canReceiveData()) {
            a.counters.outOfStateChunks++;
            return;
        }
        if (d.dataLen() == 0) {
            byte[] tsn = new byte[4];
            WireBytes.put32(tsn, 0, d.tsn());
            a.abortWith(ErrorCauses.cause(ErrorCauses.NO_USER_DATA, tsn, 0, 4), "peer sent DATA without user data");
            return;
        }
        if (!a.receiver.onData(d)) {
            a.control.add(new ValueChunk(Chunk.ERROR, 0, ErrorCauses.invalidStream(d.streamId()))); // §3.3.10.1
        }
    }

    private void onControl(Chunk c) {
        switch (c.type()) {
            case Chunk.INIT -> a.counters.badVerificationTags++; // bundled INIT: §6.10 forbids it
            case Chunk.INIT_ACK -> a.handshake.onInitAck((InitChunk) c);
            case Chunk.COOKIE_ACK -> a.handshake.onCookieAck();
            case Chunk.COOKIE_ECHO -> a.counters.outOfStateChunks++; // only valid first in a packet
            case Chunk.SACK -> onSack((SackChunk) c);
            case Chunk.HEARTBEAT -> {
                if (a.peerKnown) {
                    a.control.add(new ValueChunk(Chunk.HEARTBEAT_ACK, 0, ((ValueChunk) c).value())); // §8.3
                }
            }
            case Chunk.HEARTBEAT_ACK -> {
                long rtt = a.heartbeats.onAck(((ValueChunk) c).value(), a.clock.nowMillis());
                if (rtt >= 0) {
                    a.rto.sample(rtt);
                    a.errorCount = 0;
                }
            }
            case Chunk.ABORT -> a.terminate("peer aborted: " + ErrorCauses.describe(((ValueChunk) c).value()));
            case Chunk.SHUTDOWN -> a.shutdown.onShutdown((ShutdownChunk) c);
            case Chunk.SHUTDOWN_ACK -> a.shutdown.onShutdownAck();
            case Chunk.SHUTDOWN_COMPLETE -> {
                if (a.state == AssociationState.SHUTDOWN_ACK_SENT) {
                    a.terminate("shutdown complete");
                } else {
                    a.counters.outOfStateChunks++;
                }
            }
            case Chunk.ERROR -> {
                // The peer reports a problem (§3.3.10); nothing here needs to react to it.
            }
            case Chunk.RE_CONFIG -> onReconfig((ReconfigChunk) c);
            default -> onUnknown((ValueChunk) c);
        }
    }

    /** §3.2: report an unknown chunk type whose 0x40 bit asks for it (processing was stopped by the decoder). */
    private void onUnknown(ValueChunk c) {
        if ((c.type() & 0x40) != 0 && a.peerKnown) {
            byte[] raw = new byte[Math.min(SctpPacket.paddedSize(c), 256)];
            byte[] full = new byte[SctpPacket.paddedSize(c)];
            SctpPacket.writeChunk(full, 0, c);
            System.arraycopy(full, 0, raw, 0, raw.length);
            a.control.add(new ValueChunk(Chunk.ERROR, 0,
                    ErrorCauses.cause(ErrorCauses.UNRECOGNIZED_CHUNK, raw, 0, raw.length)));
        }
    }

    private void onSack(SackChunk s) {
        if (a.sender == null || !a.state.canSendData() && a.state != AssociationState.SHUTDOWN_SENT) {
            a.counters.outOfStateChunks++;
            return;
        }
        if (a.sender.onSack(s.cumulativeTsnAck(), s.aRwnd(), s.gapStarts(), s.gapEnds(), a.clock.nowMillis())) {
            a.errorCount = 0; // §8.3: new data acknowledged
        }
        a.forwardTsnWanted = true;
        a.shutdown.checkShutdown();
    }

    private void onReconfig(ReconfigChunk c) {
        if (a.receiver == null || a.state.compareTo(AssociationState.ESTABLISHED) < 0) {
            a.counters.outOfStateChunks++;
            return;
        }
        List<ReconfigChunk.Param> answers = a.resets.onReconfig(c, a.receiver);
        if (!answers.isEmpty()) {
            a.control.add(new ReconfigChunk(answers));
        }
    }
}
