package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocketClient;
import org.janussfu.sdp.JsepMerge;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.RemoteTransport;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SdpWriter;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.PeerConnection;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated Hubs user, as naf-janus-adapter behaves: a Janus session; a publisher handle whose offer has the
 * data channels, Opus audio and optional H.264 video; join {notifications, data}; then one subscriber handle per other
 * user (those in the join reply, and later ones announced by {@code join} events; {@code leave} closes it), each
 * answering the server's offer. While {@link #startSending} is on it publishes stamped audio (50 pps), video
 * (1200-byte packets at the configured bitrate, one burst per 33 ms frame) and NAF-like data messages (15/s on
 * "unreliable"), and it records every stamped arrival in its per-stream {@link StreamStats} and the shared
 * {@link Metrics}. Thread: everything runs on its own Vert.x context; other threads use {@link #onContext}.
 */
final class SimUser {
    /** What this user does. {@code viewer} users publish nothing and are not subscribed to. */
    record Spec(String room, String userId, int index, boolean sendAudio, int audioBytes, int audioPps, int videoKbps,
                int videoBytes, int dataRate, int dataBytes, boolean viewer, int expectedPeers) {
    }

    private static final boolean DEBUG = System.getenv("LT_DEBUG") != null;
    /** The plugin's answer when the publisher left before our subscribe request (sfu.SfuError.NO_PUBLISHER). */
    static final String NO_PUBLISHER = "Can't subscribe to a nonexistent publisher.";
    /** How long a subscription refused with {@link #NO_PUBLISHER} waits for the target's {@code leave} event. */
    private static final long LEAVE_GRACE_MS = 5000;
    /** Set-up chains of an abandoned subscription stop with this (not an error). */
    private static final String ABANDONED = "subscription abandoned";
    final Spec spec;
    final Context ctx;
    private final MediaEngine engine;
    private final WebSocketClient client;
    private final int port;
    private final Metrics metrics;
    private final JanusWs ws;
    private PeerConnection pub;
    private long pubHandle;
    private int audioPt = -1;
    private int videoPt = -1;
    private final long audioSsrc = 0x10000000L + ThreadLocalRandom.current().nextInt(1 << 27);
    private final long videoSsrc = 0x20000000L + ThreadLocalRandom.current().nextInt(1 << 27);
    private final Map<String, Sub> subs = new HashMap<>();
    private final Map<Integer, StreamStats> streams = new HashMap<>();
    private final Probe.Stamp stamp = new Probe.Stamp();
    private final List<Long> timers = new ArrayList<>();
    private final Promise<Void> pubUp = Promise.promise();
    private long startNanos;
    private boolean vanished;
    private int subsUp;
    private boolean closed;
    /** Measured packets/messages sent, per kind. */
    final long[] measuredSent = new long[3];
    private final long[] stampSeq = new long[3];

    private static final class Sub {
        String target;
        long handle;
        PeerConnection pc;
        long t0;
        boolean up;
    }

    SimUser(Context ctx, MediaEngine engine, WebSocketClient client, int port, Spec spec, Metrics metrics) {
        this.ctx = ctx;
        this.engine = engine;
        this.client = client;
        this.port = port;
        this.spec = spec;
        this.metrics = metrics;
        this.ws = new JanusWs(ctx);
    }

    void onContext(Runnable r) {
        ctx.runOnContext(v -> r.run());
    }

    /** Connects, publishes, joins and starts subscribing; completes when the publisher has joined. Context only. */
    Future<Void> start() {
        startNanos = System.nanoTime();
        boolean audio = !spec.viewer();
        boolean video = !spec.viewer() && spec.videoKbps() > 0;
        return ws.open(client, port)
                .compose(s -> ws.attach(this::onPublisherEvent))
                .compose(h -> {
                    pubHandle = h;
                    pub = engine.createClient(ctx, new Listener(null));
                    try {
                        String offer = SdpWriter.write(JsepMerge.merge(SdpParser.parse(
                                Offers.publisher(audio, audioSsrc, video, videoSsrc)), pub.localTransport(SetupRole.ACTPASS)));
                        if (DEBUG) {
                            System.err.println("OFFER " + spec.userId() + "\n" + offer);
                        }
                        return ws.message(h, "{}", "offer", offer);
                    } catch (Exception e) {
                        return Future.failedFuture(e);
                    }
                })
                .compose(r -> {
                    try {
                        if (DEBUG) {
                            System.err.println("ANSWER " + spec.userId() + "\n" + r.path("jsep").path("sdp").asText());
                        }
                        SessionDescription answer = SdpParser.parse(r.path("jsep").path("sdp").asText());
                        for (MediaDescription m : answer.media()) {
                            if (m.isRejected()) {
                                continue;
                            }
                            if (m.kind() == MediaKind.AUDIO) {
                                audioPt = Integer.parseInt(m.formats().get(0));
                            } else if (m.kind() == MediaKind.VIDEO) {
                                videoPt = Integer.parseInt(m.formats().get(0));
                            }
                        }
                        enableData(pub, answer);
                        pub.setRemote(RemoteTransport.from(answer), SetupRole.ACTPASS);
                    } catch (Exception e) {
                        return Future.failedFuture(e);
                    }
                    return pubUp.future();
                })
                .compose(v -> {
                    metrics.publisherUp.recordValue(Metrics.micros(System.nanoTime() - startNanos));
                    return waitForSctp(400);
                })
                .compose(v -> {
                    pub.openDataChannel("reliable", true, -1);
                    pub.openDataChannel("unreliable", false, 0);
                    long t0 = System.nanoTime();
                    return ws.message(pubHandle, "{\"kind\":\"join\",\"room_id\":\"" + spec.room() + "\",\"user_id\":\""
                                    + spec.userId() + "\",\"subscribe\":{\"notifications\":true,\"data\":true},\"token\":null}",
                            null, null).map(r -> {
                        metrics.joinReply.recordValue(Metrics.micros(System.nanoTime() - t0));
                        metrics.publishersUp.increment();
                        JsonNode users = r.path("plugindata").path("data").path("response").path("users").path(spec.room());
                        for (JsonNode u : users) {
                            subscribe(u.asText());
                        }
                        checkReady();
                        return null;
                    });
                });
    }

    private static void enableData(PeerConnection pc, SessionDescription sd) {
        for (MediaDescription m : sd.media()) {
            if (m.isSctp() && !m.isRejected()) {
                pc.enableDataChannels(m.sctpPort() == null ? 5000 : m.sctpPort(), 262144);
                return;
            }
        }
    }

    private Future<Void> waitForSctp(int tries) {
        if (pub.dataChannelsReady()) {
            return Future.succeededFuture();
        }
        if (tries == 0 || closed) {
            return Future.failedFuture("SCTP did not come up for " + spec.userId());
        }
        Promise<Void> p = Promise.promise();
        ctx.owner().setTimer(25, t -> waitForSctp(tries - 1).onComplete(p));
        return p.future();
    }

    private void onPublisherEvent(JsonNode m) {
        JsonNode data = m.path("plugindata").path("data");
        String event = data.path("event").asText();
        if (vanished) {
            return;                     // a dead tab reacts to nothing
        }
        if ("join".equals(event)) {
            subscribe(data.path("user_id").asText());
        } else if ("leave".equals(event)) {
            Sub s = subs.remove(data.path("user_id").asText());
            if (s != null) {
                if (s.pc != null) {
                    s.pc.close();
                }
                if (s.handle != 0) {
                    ws.detach(s.handle); // else the attach still under way detaches it (subscribe)
                }
            }
        }
    }

    /** Opens a subscriber handle on {@code target}'s media and answers the server's offer. Context only. */
    private void subscribe(String target) {
        if (closed || target.isEmpty() || target.equals(spec.userId()) || subs.containsKey(target)
                || target.startsWith("view-")) {
            return;
        }
        Sub s = new Sub();
        s.target = target;
        s.t0 = System.nanoTime();
        subs.put(target, s);
        ws.attach(m -> { }).compose(h -> {
            s.handle = h;
            if (abandoned(s)) {
                ws.detach(h);           // the target's leave came before the handle: nothing to set up
                return Future.failedFuture(ABANDONED);
            }
            return ws.message(h, "{\"kind\":\"join\",\"room_id\":\"" + spec.room() + "\",\"user_id\":\"" + spec.userId()
                    + "\",\"subscribe\":{\"media\":\"" + target + "\"}}", null, null);
        }).compose(r -> {
            if (abandoned(s)) {
                return Future.failedFuture(ABANDONED);   // the leave handler has detached the handle
            }
            try {
                SessionDescription offer = SdpParser.parse(r.path("jsep").path("sdp").asText());
                RemoteTransport rt = RemoteTransport.from(offer);
                SetupRole ours = rt.answerRole();
                s.pc = engine.createClient(ctx, new Listener(s));
                String answer = recvOnly(SdpWriter.write(JsepMerge.merge(offer, s.pc.localTransport(ours))));
                enableData(s.pc, offer);
                s.pc.setRemote(rt, ours);
                return ws.message(s.handle, "{}", "answer", answer);
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
        }).onFailure(e -> subscribeFailed(s, e.getMessage()));
    }

    /** Whether the subscription is no longer wanted: its target's {@code leave} removed it (or another replaced it). */
    private boolean abandoned(Sub s) {
        return subs.get(s.target) != s;
    }

    /**
     * A subscription's set-up failed (context). Not an error when this user is leaving or gone (its own close or
     * vanish fails what is in flight), when the subscription was abandoned because its target left, or when the
     * server refused it with {@link #NO_PUBLISHER} and the target's {@code leave} arrives within {@link
     * #LEAVE_GRACE_MS} (the publisher left between the room listing it and our request; the event may come after the
     * reply): those are churn races, counted. A refusal for a target that does not leave is an error.
     */
    private void subscribeFailed(Sub s, String reason) {
        if (closed || vanished) {
            return;
        }
        if (abandoned(s) || ABANDONED.equals(reason)) {
            metrics.churnRaces.increment();
            return;
        }
        if (reason != null && reason.contains(NO_PUBLISHER)) {
            ctx.owner().setTimer(LEAVE_GRACE_MS, id -> {
                if (closed || vanished) {
                    return;
                }
                if (abandoned(s)) {
                    metrics.churnRaces.increment();
                    return;
                }
                dropSub(s);
                metrics.setupFailures.increment();
                metrics.error(spec.userId() + " subscribing to " + s.target + ": " + reason + " (and " + s.target
                        + " did not leave)");
            });
            return;
        }
        dropSub(s);
        metrics.setupFailures.increment();
        metrics.error(spec.userId() + " subscribing to " + s.target + ": " + reason);
    }

    /** Forgets a subscription that failed: its connection and handle go. Context only. */
    private void dropSub(Sub s) {
        if (subs.get(s.target) == s) {
            subs.remove(s.target);
        }
        if (s.pc != null) {
            s.pc.close();
        }
        if (s.handle != 0) {
            ws.detach(s.handle);
        }
    }

    /**
     * A browser's answer to a subscriber offer receives only: the mirrored sendonly/sendrecv become recvonly and the
     * offer's SSRC/msid lines go (Janus honours the direction; without this it sends the subscriber nothing).
     */
    static String recvOnly(String sdp) {
        StringBuilder b = new StringBuilder(sdp.length());
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=ssrc") || line.startsWith("a=msid:")) {
                continue;
            }
            if (line.equals("a=sendonly") || line.equals("a=sendrecv")) {
                line = "a=recvonly";
            }
            b.append(line).append("\r\n");
        }
        return b.toString();
    }

    private void checkReady() {
        if (spec.expectedPeers() >= 0 && subsUp == spec.expectedPeers() && pub != null && pub.isUp()) {
            metrics.userReady.recordValue(Metrics.micros(System.nanoTime() - startNanos));
        }
    }

    /** Starts the periodic senders. Context only. */
    void startSending() {
        if (spec.viewer()) {
            return;
        }
        if (spec.sendAudio() && audioPt >= 0 && spec.audioPps() > 0) {
            int[] seq = {ThreadLocalRandom.current().nextInt(65536)};
            long[] ts = {0};
            long audioPeriod = Math.max(1, 1000 / spec.audioPps());
            timers.add(ctx.owner().setPeriodic(phase(audioPeriod), audioPeriod, id -> {
                boolean measured = metrics.measuring;
                byte[] b = Probe.rtp(audioPt, false, seq[0]++, ts[0], audioSsrc, spec.audioBytes(), Probe.AUDIO,
                        measured, spec.index(), stampSeq[Probe.AUDIO]++);
                ts[0] += 48000 / spec.audioPps();
                send(b, 12 + spec.audioBytes(), Probe.AUDIO, measured);
            }));
        }
        if (spec.videoKbps() > 0 && videoPt >= 0) {
            double perFrame = spec.videoKbps() * 1000.0 / (spec.videoBytes() * 8) / 30.0;
            int[] seq = {ThreadLocalRandom.current().nextInt(65536)};
            double[] acc = {0};
            long[] ts = {0};
            timers.add(ctx.owner().setPeriodic(phase(33), 33, id -> {
                acc[0] += perFrame;
                int n = (int) acc[0];
                acc[0] -= n;
                for (int i = 0; i < n; i++) {
                    boolean measured = metrics.measuring;
                    int payload = spec.videoBytes() - 12;
                    byte[] b = Probe.rtp(videoPt, i == n - 1, seq[0]++, ts[0], videoSsrc, payload, Probe.VIDEO, measured,
                            spec.index(), stampSeq[Probe.VIDEO]++);
                    send(b, 12 + payload, Probe.VIDEO, measured);
                }
                ts[0] += 3000;
            }));
        }
        if (spec.dataRate() > 0) {
            long dataPeriod = Math.max(1, 1000 / spec.dataRate());
            timers.add(ctx.owner().setPeriodic(phase(dataPeriod), dataPeriod, id -> {
                if (pub == null || !pub.dataChannelsReady()) {
                    return;
                }
                boolean measured = metrics.measuring;
                byte[] msg = Probe.data(spec.dataBytes(), measured, spec.index(), stampSeq[Probe.DATA]++);
                if (pub.sendData("unreliable", "", false, msg, 0, msg.length) && measured) {
                    measuredSent[Probe.DATA]++;
                }
            }));
        }
    }

    /**
     * The first firing of a periodic sender, spread over one period by the user's index (7 is coprime with the
     * 20, 33 and 66 ms periods): real participants' packet clocks are independent, and starting every user's
     * timer at the same instant would send the whole room's packets in one burst per period — queueing that no
     * real room sees, in the generator as much as in the server.
     */
    private long phase(long period) {
        return 1 + (spec.index() * 7L) % period;
    }

    private void send(byte[] b, int len, int kind, boolean measured) {
        if (pub != null && pub.sendRtp(b, 0, len) > 0 && measured) {
            measuredSent[kind]++;
        }
    }

    void stopSending() {
        timers.forEach(ctx.owner()::cancelTimer);
        timers.clear();
    }

    /** Snapshot of this receiver's streams (call on the context). */
    List<StreamStats> streams() {
        return new ArrayList<>(streams.values());
    }

    int subscriptionsUp() {
        return subsUp;
    }

    /** Leaves: closes every connection and the WebSocket (the server sees a leave). Context only. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopSending();
        for (Sub s : subs.values()) {
            if (s.pc != null) {
                s.pc.close();
            }
        }
        subs.clear();
        if (pub != null) {
            pub.close();
        }
        ws.close();
        pubUp.tryFail("closed");
    }

    /**
     * Leaves without a clean hang-up, alternating between the two ways a browser tab dies: {@code dropSocket} — the
     * WebSocket goes away while every PeerConnection is left as it is (no detach, no hangup, no DTLS/SCTP close: the
     * server must notice from the socket and tear the media down itself); otherwise the media stops and the
     * WebSocket stays open but silent (no more requests), so only the server's session timeout can reclaim the
     * session. The connections left open are closed by {@link #close} at the end of the step. Context only.
     */
    void vanish(boolean dropSocket) {
        stopSending();
        vanished = true;
        if (dropSocket) {
            ws.close();
        } else {
            ws.goSilent();
        }
    }

    boolean vanished() {
        return vanished;
    }

    private void arrive(Probe.Stamp st) {
        long now = System.nanoTime();
        metrics.arrivals.increment();
        if (!st.measured || st.kind < 0 || st.kind > 2) {
            return;
        }
        StreamStats s = streams.computeIfAbsent(st.sender * 4 + st.kind, k -> new StreamStats(st.sender, st.kind));
        long transit = now - st.nanos;
        if (s.arrive(st.seq, transit)) {
            metrics.latency[st.kind].recordValue(Metrics.micros(transit));
            int nodes = metrics.nodes;
            if (nodes > 1) { // users are spread over the nodes by index (Nodes.of)
                int to = Math.floorMod(spec.index(), nodes);
                boolean same = Math.floorMod(st.sender, nodes) == to;
                (same ? metrics.sameNodeBy : metrics.crossNodeBy)[st.kind == Probe.DATA ? 1 : 0]
                        .recordValue(Metrics.micros(transit));
                metrics.arrivalsByNode[Math.min(to, metrics.arrivalsByNode.length - 1)].increment();
            }
        }
    }

    /** Events of one connection (the publisher's when {@code sub} is null), on the context. */
    private final class Listener implements PeerConnection.Listener {
        private final Sub sub;

        Listener(Sub sub) {
            this.sub = sub;
        }

        @Override
        public void onConnected(SrtpProfile profile, String cipherSuite) {
            metrics.negotiated(profile, cipherSuite);
            if (sub == null) {
                pubUp.tryComplete();
            } else if (!sub.up) {
                sub.up = true;
                subsUp++;
                metrics.subscriptionsUp.increment();
                metrics.subscriberUp.recordValue(Metrics.micros(System.nanoTime() - sub.t0));
                checkReady();
            }
        }

        @Override
        public void onClosed(String reason) {
            if (sub == null) {
                pubUp.tryFail("publisher connection closed: " + reason);
            }
            if (!closed && !vanished && sub != null && !sub.up) {
                metrics.setupFailures.increment();
            }
            if (!closed && !vanished) {          // a vanished user's connections are meant to be torn down
                metrics.error(spec.userId() + (sub == null ? " publisher" : " subscription to " + sub.target)
                        + " closed: " + reason);
            }
        }

        @Override
        public void onRtp(byte[] buf, int off, int len) {
            if (Probe.readRtp(buf, off, len, stamp)) {
                arrive(stamp);
            }
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
        }

        @Override
        public void onDataMessage(String label, String protocol, boolean binary, byte[] data, int off, int len) {
            if (Probe.readData(data, off, len, stamp)) {
                arrive(stamp);
            }
        }
    }
}
