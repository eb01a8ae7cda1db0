package org.janussfu.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.janussfu.core.DataMessage;
import org.janussfu.core.Gateway;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.Jsep;
import org.janussfu.core.Plugin;
import org.janussfu.core.PluginHandle;
import org.janussfu.core.PluginInfo;
import org.janussfu.core.PluginReply;
import org.janussfu.core.Replies;
import org.janussfu.rtp.Packet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test plugin ({@code janus.plugin.echotest}) that answers every message asynchronously, from a timer, with
 * {@code {"echo":<body>}}, answers offers with an answer, and obeys commands in {@code body.cmd}: {@code push}
 * (also push an asynchronous event), {@code offer} (reply with an offer), {@code fail} (failed future),
 * {@code throw} (throws). Attaching with opaque_id {@code refuse} or {@code explode} fails. Records destroyed
 * handles. Thread-safe for the tests' reads.
 */
public final class EchoPlugin implements Plugin {
    public static final String NAME = "janus.plugin.echotest";
    public final List<Long> created = new CopyOnWriteArrayList<>();
    public final List<Long> destroyed = new CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private Gateway gateway;

    public EchoPlugin(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public PluginInfo info() {
        return new PluginInfo(NAME, "Echo test plugin", "Answers messages for protocol tests", "tests", 1, "1");
    }

    @Override
    public Future<Void> init(Gateway gateway) {
        this.gateway = gateway;
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> destroy() {
        return Future.succeededFuture();
    }

    @Override
    public void createSession(PluginHandle handle) throws JanusException {
        if ("refuse".equals(handle.opaqueId())) {
            throw new JanusException(JanusError.PLUGIN_ATTACH, "Couldn't attach to plugin: refused");
        }
        if ("explode".equals(handle.opaqueId())) {
            throw new IllegalStateException("boom");
        }
        created.add(handle.id());
    }

    @Override
    public Future<PluginReply> handleMessage(PluginHandle handle, String transaction, ObjectNode body, Jsep jsep) {
        String cmd = body.path("cmd").asText("");
        if (cmd.equals("throw")) {
            throw new IllegalStateException("thrown by plugin");
        }
        Promise<PluginReply> p = Promise.promise();
        vertx.setTimer(2, t -> {
            if (cmd.equals("fail")) {
                p.fail("failed by plugin");
                return;
            }
            if (cmd.equals("push")) {
                ObjectNode ev = Replies.JSON.objectNode();
                ev.put("pushed", true);
                gateway.pushEvent(handle, ev, null);
            }
            ObjectNode data = Replies.JSON.objectNode();
            data.set("echo", body);
            Jsep reply = null;
            if (jsep != null && jsep.type() == Jsep.Type.OFFER) {
                reply = Jsep.answer(jsep.sdp());
            } else if (cmd.equals("offer")) {
                reply = Jsep.offer("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
            }
            p.complete(new PluginReply(data, reply));
        });
        return p.future();
    }

    @Override
    public void setupMedia(PluginHandle handle) {
    }

    @Override
    public void hangupMedia(PluginHandle handle) {
    }

    @Override
    public void incomingRtp(PluginHandle handle, Packet packet) {
    }

    @Override
    public void incomingRtcp(PluginHandle handle, Packet packet) {
    }

    @Override
    public void incomingData(PluginHandle handle, DataMessage message) {
    }

    @Override
    public void destroySession(PluginHandle handle) {
        destroyed.add(handle.id());
    }
}
