package org.janussfu.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.janussfu.sdp.JsepMerge;
import org.janussfu.sdp.RemoteTransport;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SdpWriter;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.PeerConnection;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.util.function.Consumer;

/**
 * One simulated room participant for load tests, shaped like naf-janus-adapter: a Janus WebSocket session, a
 * publisher handle with a data-channel offer, real ICE/DTLS/SCTP from the project's own webrtc package in the client
 * roles, the "reliable" and "unreliable" channels, then a join with {notifications, data}. Owned by one Vert.x
 * context (all its callbacks run there); the driver thread only calls {@link #send}.
 */
final class Participant {
    static final String DATA_OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "a=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    final String userId;
    private final Context context;
    private final MediaEngine engine;
    private final Consumer<byte[]> onData;
    private WebSocket ws;
    private PeerConnection pc;
    private long session;
    private long handle;
    private int tx;
    private Promise<String> pending;
    private final Promise<Void> up = Promise.promise();
    /** Nanos from the join request to its reply. */
    long joinLatencyNanos;

    Participant(Context context, MediaEngine engine, String userId, Consumer<byte[]> onData) {
        this.context = context;
        this.engine = engine;
        this.userId = userId;
        this.onData = onData;
    }

    /** Connects, negotiates, waits for SCTP, opens the channels and joins {@code room}. Run on the context. */
    Future<Void> join(WebSocketClient client, String host, int port, String room) {
        return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/")
                        .addSubProtocol("janus-protocol"))
                .compose(socket -> {
                    ws = socket;
                    ws.textMessageHandler(this::onText);
                    return request("{\"janus\":\"create\"}");
                })
                .compose(r -> {
                    session = id(r);
                    return request("{\"janus\":\"attach\",\"session_id\":" + session + ",\"plugin\":\"janus.plugin.sfu\"}");
                })
                .compose(r -> {
                    handle = id(r);
                    pc = engine.createClient(context, new Events());
                    String offer;
                    try {
                        offer = SdpWriter.write(JsepMerge.merge(SdpParser.parse(DATA_OFFER), pc.localTransport(SetupRole.ACTPASS)));
                    } catch (Exception e) {
                        return Future.failedFuture(e);
                    }
                    return message("{}", ",\"jsep\":{\"type\":\"offer\",\"sdp\":\"" + escape(offer) + "\"}");
                })
                .compose(event -> {
                    try {
                        String answer = unescape(field(event, "\"sdp\":\""));
                        pc.enableDataChannels(5000, 262144);
                        pc.setRemote(RemoteTransport.from(SdpParser.parse(answer)), SetupRole.ACTPASS);
                    } catch (Exception e) {
                        return Future.failedFuture(e);
                    }
                    return up.future();
                })
                .compose(v -> waitForSctp(200))
                .compose(v -> {
                    pc.openDataChannel("reliable", true, -1);
                    pc.openDataChannel("unreliable", false, 0);
                    long t0 = System.nanoTime();
                    return message("{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\"" + userId
                            + "\",\"subscribe\":{\"notifications\":true,\"data\":true},\"token\":null}", "")
                            .map(r -> {
                                joinLatencyNanos = System.nanoTime() - t0;
                                return null;
                            });
                });
    }

    private Future<Void> waitForSctp(int tries) {
        if (pc.dataChannelsReady()) {
            return Future.succeededFuture();
        }
        if (tries == 0) {
            return Future.failedFuture("SCTP did not come up for " + userId);
        }
        Promise<Void> p = Promise.promise();
        context.owner().setTimer(25, t -> waitForSctp(tries - 1).onComplete(p));
        return p.future();
    }

    /** Sends a data-channel message (any thread; hops to the owner). */
    void send(String label, byte[] payload) {
        context.runOnContext(v -> pc.sendData(label, "", true, payload, 0, payload.length));
    }

    void close() {
        context.runOnContext(v -> {
            if (pc != null) {
                pc.close();
            }
            if (ws != null) {
                ws.close();
            }
        });
    }

    // ---- minimal Janus signalling (one request in flight) ----------------------------------------------------

    private Future<String> request(String json) {
        pending = Promise.promise();
        ws.writeTextMessage(json.substring(0, json.length() - 1) + ",\"transaction\":\"t" + (++tx) + "\""
                + (session != 0 && !json.contains("session_id") ? ",\"session_id\":" + session : "") + "}");
        return pending.future();
    }

    private Future<String> message(String body, String jsepPart) {
        return request("{\"janus\":\"message\",\"session_id\":" + session + ",\"handle_id\":" + handle + ",\"body\":"
                + body + jsepPart + "}");
    }

    private void onText(String t) {
        if (pending == null || !t.contains("\"transaction\":\"t" + tx + "\"") || t.contains("\"janus\":\"ack\"")) {
            return;
        }
        Promise<String> p = pending;
        pending = null;
        if (t.contains("\"janus\":\"error\"") || t.contains("\"success\":false")) {
            p.fail(t);
        } else {
            p.complete(t);
        }
    }

    private static long id(String json) {
        String key = "\"id\":";
        int i = json.indexOf(key) + key.length();
        int e = i;
        while (e < json.length() && Character.isDigit(json.charAt(e))) {
            e++;
        }
        return Long.parseLong(json.substring(i, e));
    }

    static String field(String json, String key) {
        int i = json.indexOf(key) + key.length();
        StringBuilder b = new StringBuilder();
        for (int k = i; k < json.length(); k++) {
            char c = json.charAt(k);
            if (c == '\\') {
                b.append(c).append(json.charAt(++k));
            } else if (c == '"') {
                break;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String escape(String sdp) {
        return sdp.replace("\r", "\\r").replace("\n", "\\n");
    }

    static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\/", "/");
    }

    /** Connection events on the owner context. */
    private final class Events implements PeerConnection.Listener {
        @Override
        public void onConnected(SrtpProfile profile, String cipherSuite) {
            up.tryComplete();
        }

        @Override
        public void onClosed(String reason) {
            up.tryFail("connection closed: " + reason);
        }

        @Override
        public void onRtp(byte[] buf, int off, int len) {
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
        }

        @Override
        public void onDataMessage(String label, String protocol, boolean binary, byte[] data, int off, int len) {
            onData.accept(off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len));
        }
    }
}
