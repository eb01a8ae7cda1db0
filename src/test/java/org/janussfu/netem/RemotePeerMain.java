package org.janussfu.netem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.janussfu.rtp.RtcpScan;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.RtxResponder;
import org.janussfu.webrtc.ice.IceConfig;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.WebRtcConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM started with {@code ip netns exec}: client peers ({@link ClientPeer}) whose ICE sockets bind the
 * namespace's veth address, so that every packet to and from the server crosses the impaired link. The parent test
 * does the signalling on its own WebSocket and drives this process line by line on stdin; each command gets one
 * line on stdout, {@code ok [payload]} or {@code err reason} (SDP and JSON payloads base64). Commands:
 * {@code offer ID TEMPLATE}, {@code accept ID ANSWER}, {@code answer ID OFFER}, {@code connected ID},
 * {@code open ID LABEL}, {@code send ID AUDIO_PT VIDEO_PT KBPS [RTX_PT]} (with an RTX PT, the server's NACKs are answered with RTX),, {@code stop ID}, {@code recv ID AUDIO_PT VIDEO_PT},
 * {@code nack ID WAIT_MS}, {@code pli ID}, {@code stats ID}, {@code close ID}, {@code quit}. The main thread reads
 * commands; peers run on one Vert.x context; the process exits when stdin closes (the parent died).
 */
public final class RemotePeerMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RemotePeerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);                 // nothing but replies on stdout
        InetAddress bind = InetAddress.getByName(args[0]);
        IceConfig ice = new IceConfig(List.of(bind), 0, null, false, null, true, IceConfig.DEFAULT_CONNECT_TIMEOUT,
                IceConfig.DEFAULT_CONSENT_TIMEOUT);
        Vertx vertx = Vertx.vertx();
        MediaEngine engine = new MediaEngine(WebRtcConfig.loopback(0).withIce(ice));
        engine.bind(vertx);
        Context ctx = vertx.getOrCreateContext();
        Map<String, ClientPeer> peers = new HashMap<>();
        Map<String, MediaProbe.Sender> senders = new HashMap<>();
        Map<String, MediaProbe.Receiver> receivers = new HashMap<>();
        Map<String, AtomicInteger[]> feedback = new HashMap<>();
        Map<String, RtxResponder> responders = new java.util.concurrent.ConcurrentHashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ok ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] a = line.split(" ");
            try {
                String id = a.length > 1 ? a[1] : "";
                switch (a[0]) {
                    case "offer" -> out.println("ok " + b64(peer(peers, feedback, id, engine, ctx).offer(unb64(a[2]))));
                    case "accept" -> {
                        peers.get(id).acceptAnswer(unb64(a[2]));
                        out.println("ok");
                    }
                    case "answer" -> out.println("ok " + b64(peer(peers, feedback, id, engine, ctx).answer(unb64(a[2]))));
                    case "connected" -> out.println("ok " + peers.get(id).connected.get(30, TimeUnit.SECONDS));
                    case "open" -> {
                        peers.get(id).openChannel(a[2], true, -1);
                        out.println("ok");
                    }
                    case "send" -> {
                        ClientPeer p = peers.get(id);
                        java.util.function.BiConsumer<byte[], Integer> send = p::sendRtp;
                        if (a.length > 5 && Integer.parseInt(a[5]) >= 0) {
                            // answer the server's NACKs with RTX, as a browser does (RFC 4588)
                            RtxResponder r = new RtxResponder(p.pc, Integer.parseInt(a[5]), 0x71DE1L, 0x71DE0L);
                            responders.put(id, r);
                            var tap = p.rtcpTap;
                            p.rtcpTap = b -> {  // volatile; runs on the peer's context, where RTX is sent
                                tap.accept(b);
                                r.onRtcp(b);
                            };
                            send = (b, n) -> {
                                r.sent(b, n);
                                p.sendRtp(b, n);
                            };
                        }
                        senders.put(id, new MediaProbe.Sender(send, Integer.parseInt(a[2]), Integer.parseInt(a[3]),
                                Integer.parseInt(a[4]), 0xA0D10L, 0x71DE0L));
                        out.println("ok");
                    }
                    case "stop" -> {
                        MediaProbe.Sender s = senders.remove(id);
                        if (s != null) {
                            s.close();
                        }
                        out.println("ok " + (s == null ? "0 0" : s.audioSent + " " + s.videoSent));
                    }
                    case "recv" -> {
                        MediaProbe.Receiver r = new MediaProbe.Receiver(Integer.parseInt(a[2]), Integer.parseInt(a[3]));
                        receivers.put(id, r);
                        peers.get(id).rtpTap = r::accept;
                        out.println("ok");
                    }
                    case "nack" -> {
                        ClientPeer p = peers.get(id);
                        receivers.get(id).enableNack(p::sendRtcp, Integer.parseInt(a[2]));
                        out.println("ok");
                    }
                    case "stats" -> {
                        Map<String, Object> st = new HashMap<>();
                        MediaProbe.Receiver r = receivers.get(id);
                        if (r != null) {
                            st.putAll(r.stats());
                        }
                        ClientPeer p = peers.get(id);
                        AtomicInteger[] f = feedback.get(id);
                        st.put("keyframe_requests_in", f[0].get());
                        st.put("nacks_in", f[1].get());
                        RtxResponder rr = responders.get(id);
                        if (rr != null) {
                            synchronized (rr) {
                                st.put("rtx_answered", rr.answered);
                                st.put("rtx_missed", rr.missed);
                            }
                        }
                        Map<String, Integer> data = new HashMap<>();
                        for (Object[] m : p.data) {
                            data.merge((String) m[0], 1, Integer::sum);
                        }
                        st.put("data", data);
                        out.println("ok " + b64(JSON.writeValueAsString(st)));
                    }
                    case "close" -> {
                        MediaProbe.Sender s = senders.remove(id);
                        if (s != null) {
                            s.close();
                        }
                        MediaProbe.Receiver r = receivers.remove(id);
                        if (r != null) {
                            r.close();
                        }
                        responders.remove(id);
                        ClientPeer p = peers.remove(id);
                        if (p != null) {
                            p.close();
                        }
                        out.println("ok");
                    }
                    case "quit" -> {
                        out.println("ok");
                        System.exit(0);
                    }
                    default -> out.println("err unknown command " + a[0]);
                }
            } catch (Throwable e) {
                out.println("err " + e.toString().replace('\n', ' '));
            }
        }
        System.exit(0);
    }

    private static ClientPeer peer(Map<String, ClientPeer> peers, Map<String, AtomicInteger[]> feedback, String id,
                                   MediaEngine engine, Context ctx) {
        ClientPeer p = new ClientPeer(engine, ctx);
        AtomicInteger[] f = {new AtomicInteger(), new AtomicInteger()};
        p.rtcpTap = r -> {
            if (RtcpScan.keyframeRequests(r, 0, r.length) != 0) {
                f[0].incrementAndGet();
            }
            f[1].addAndGet(nackItems(r));
        };
        peers.put(id, p);
        feedback.put(id, f);
        return p;
    }

    /** FCI entries of generic NACKs (PT 205, FMT 1; RFC 4585 §6.2.1) in a compound RTCP packet. */
    static int nackItems(byte[] b) {
        int n = 0;
        int off = 0;
        while (off + 4 <= b.length) {
            int len = 4 * (((b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff)) + 1);
            if ((b[off + 1] & 0xff) == 205 && (b[off] & 0x1f) == 1 && len >= 12) {
                n += (len - 12) / 4;
            }
            off += len;
        }
        return n;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
