package org.janussfu.core;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One Janus handle: an attachment of a session to a plugin, and its PeerConnection ({@link HandleMedia}). Owned by its
 * session's context; {@link #alive} and the plugin state slot are volatile so that plugins may read them
 * from their own context. Remote ICE candidates trickled before the media plane picks them up are queued
 * here, bounded by {@code limits.candidates-per-handle}.
 */
final class Handle implements PluginHandle {
    final long id;
    final Session session;
    final Plugin plugin;
    private final String opaqueId;
    private volatile boolean alive = true;
    private volatile Object pluginState;
    /** Wall-clock creation time (µs), and whether the event hook has been told of the handle; core only. */
    final long createdMicros = System.currentTimeMillis() * 1000;
    volatile boolean announced;

    /** Trickled remote candidates (the {@code candidate} objects as received); session context only. */
    final List<JsonNode> remoteCandidates = new ArrayList<>();
    /** Candidates trickled since the last remote description, for {@code limits.candidates-per-handle}; session context. */
    int candidatesReceived;
    /** Whether the client signalled the end of its candidates; session context only. */
    boolean remoteCandidatesComplete;
    /** Whether the core sent this handle an offer that still waits for its answer; session context only. */
    boolean awaitingAnswer;

    /** The handle's PeerConnection side; session context only. */
    final HandleMedia media;
    /** Per-handle packet statistics and the capture hook, installed on each of its PeerConnections. */
    final LegTap tap;
    /** The latest SDP texts: ours (as sent) and the peer's, for handle_info's {@code sdps}; session context. */
    String localSdp;
    String remoteSdp;
    /** Whether the peer ever sent an offer / an answer (Janus' got-offer / got-answer flags); session context. */
    boolean gotOffer;
    boolean gotAnswer;
    /** The running packet capture (start_pcap / start_text2pcap), or null; session context. */
    Capture capture;

    Handle(long id, Session session, Plugin plugin, String opaqueId, JanusCore core) {
        this.id = id;
        this.session = session;
        this.plugin = plugin;
        this.opaqueId = opaqueId;
        this.media = new HandleMedia(core, this);
        this.tap = new LegTap(media.leg.payloadKinds(), media.audioSsrc, media.videoSsrc, media.rtxSsrc);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long sessionId() {
        return session.id;
    }

    @Override
    public String opaqueId() {
        return opaqueId;
    }

    @Override
    public boolean isAlive() {
        return alive;
    }

    /** Session context: installs {@code c} as the capture (null = none); its packets flow at once. */
    void setCapture(Capture c) {
        capture = c;
        tap.capture = c;
    }

    /** Session context: ends the running capture, if any (hangup, detach, {@code stop_pcap}); returns it or null. */
    Capture stopCapture(String reason) {
        Capture c = capture;
        if (c != null) {
            setCapture(null);
            c.stop(reason);
        }
        return c;
    }

    void markDead() {
        alive = false;
    }

    @Override
    public Object pluginState() {
        return pluginState;
    }

    @Override
    public void setPluginState(Object state) {
        this.pluginState = state;
    }

    @Override
    public String toString() {
        return "handle " + id + " (session " + session.id + ")";
    }
}
