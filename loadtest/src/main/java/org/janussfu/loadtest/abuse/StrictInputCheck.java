package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Attack 8, a quick correctness pass: ids ≥ 2^64 (do they wrap onto a real session?), {@code 1.0} / {@code 1e0}
 * ids, trailing garbage and two JSON values, invalid UTF-8, RSV bits, the WebSocket size limit in bytes, an error
 * that might quote library internals, empty / invalid HTTP bodies, h2c. Each case runs on a fresh connection and
 * records the server's answer and whether it is what issue 11 asks for; the extra criterion is "all cases pass".
 * Driver thread only.
 */
final class StrictInputCheck implements Attack {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private ArrayNode cases;

    @Override
    public String name() {
        return "strict-input";
    }

    @Override
    public String describe(Ctx ctx) {
        return "bad ids, trailing JSON, invalid UTF-8, RSV bits, byte-sized limit, empty bodies, h2c: one answer each";
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        cases = out.putArray("cases");
        Predicate<String> error = a -> a.startsWith("reply") && a.contains("\"janus\":\"error\"") || a.startsWith("close");
        wsOwn(ctx, "ws: session_id = real id + 2^64", "an error (467/454/458), not an ack on the real session",
                id -> "{\"janus\":\"keepalive\",\"session_id\":" + BigInteger.valueOf(id).add(TWO_64)
                        + ",\"transaction\":\"t\"}", error);
        wsOwn(ctx, "ws: session_id = <id>.0", "an error, not an ack",
                id -> "{\"janus\":\"keepalive\",\"session_id\":" + id + ".0,\"transaction\":\"t\"}", error);
        wsOwn(ctx, "ws: session_id = <id>e0", "an error, not an ack",
                id -> "{\"janus\":\"keepalive\",\"session_id\":" + id + "e0,\"transaction\":\"t\"}", error);
        wsCase(ctx, "ws: session_id = 2^53", "an error (467/458)",
                "{\"janus\":\"keepalive\",\"session_id\":9007199254740992,\"transaction\":\"t\"}", error);
        Predicate<String> noInfo = a -> !a.contains("server_info") && (a.contains("\"code\":454") || a.startsWith("close"));
        wsCase(ctx, "ws: trailing garbage after the object", "454 (or a close), not server_info",
                "{\"janus\":\"info\",\"transaction\":\"t\"} garbage", noInfo);
        wsCase(ctx, "ws: two JSON values in one frame", "454 (or a close), not server_info",
                "{\"janus\":\"info\",\"transaction\":\"t\"}{\"janus\":\"info\",\"transaction\":\"u\"}", noInfo);
        byte[] bad = "{\"janus\":\"info\",\"transaction\":\"\u0001\u0001\"}".getBytes(StandardCharsets.US_ASCII);
        bad[bad.length - 4] = (byte) 0xC3;
        bad[bad.length - 3] = (byte) 0x28;
        wsRaw(ctx, "ws: invalid UTF-8 in a text frame", "close 1007", 0x1, bad, 0, a -> a.startsWith("close 1007"));
        wsRaw(ctx, "ws: RSV1 set without an extension", "close 1002", 0x1,
                "{\"janus\":\"info\",\"transaction\":\"t\"}".getBytes(StandardCharsets.UTF_8), 4, a -> a.startsWith("close 1002"));
        String euros = "\u20ac".repeat(90_000); // 90,000 characters, 270,000 bytes: over 262,144 only in bytes
        wsCase(ctx, "ws: 270 KB of 3-byte UTF-8 in 90,000 chars", "close 1009 (the limit counts bytes)",
                "{\"janus\":\"info\",\"transaction\":\"t\",\"pad\":\"" + euros + "\"}", a -> a.startsWith("close 1009"));
        String deep = "[".repeat(1500) + "]".repeat(1500);
        Predicate<String> ourWords = a -> (a.contains("\"janus\":\"error\"") || a.startsWith("close"))
                && !a.contains("StreamReadConstraints") && !a.toLowerCase().contains("jackson") && !a.contains("com.fasterxml");
        wsCase(ctx, "ws: nesting depth 1500", "an error in the server's own words (no library internals)",
                "{\"janus\":\"info\",\"transaction\":\"t\",\"x\":" + deep + "}", ourWords);

        Http http = new Http(ctx.http());
        long hs = http.postForId("", JanusCalls.create(JanusCalls.tx()));
        httpCase("http: empty POST body", "454, never HTTP 500", () -> show(http.post("", null)),
                a -> a.contains("\"code\":454") && !a.startsWith("HTTP 500"));
        httpCase("http: invalid UTF-8 body", "454", () -> rawHttp(ctx.http(), bodyRequest(new byte[] {
            '{', '"', 'j', 'a', 'n', 'u', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})),
                a -> a.contains("\"code\":454") && !a.contains("\"success\""));
        httpCase("http: trailing garbage after create", "454, no session created",
                () -> show(http.post("", "{\"janus\":\"create\",\"transaction\":\"t\"} garbage")),
                a -> a.contains("\"code\":454") && !a.contains("\"success\""));
        String hWrapped = BigInteger.valueOf(hs).add(TWO_64).toString();
        httpCase("http: /janus/<real id + 2^64> keepalive", "an error, not an ack on the real session",
                () -> show(http.post("/" + hWrapped, "{\"janus\":\"keepalive\",\"transaction\":\"t\"}")), a -> a.contains("\"janus\":\"error\"")
                        || a.startsWith("HTTP 4"));
        httpCase("http: Upgrade: h2c", "no 101 Switching Protocols", () -> rawHttp(ctx.http(),
                ("GET /janus/info HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
                a -> !a.startsWith("HTTP/1.1 101"));
        httpCase("http: HTTP/2 prior-knowledge preface", "not answered as HTTP/2",
                () -> rawHttp(ctx.http(), h2Preface()), a -> !a.startsWith("h2-frame"));
        int passed = 0;
        for (var c : cases) {
            passed += c.path("pass").asBoolean() ? 1 : 0;
        }
        out.put("passed", passed);
        out.put("total", cases.size());
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        // every case closed its own connection
    }

    @Override
    public void criteria(ObjectNode out, ObjectNode criteria) {
        ObjectNode c = criteria.putObject("strict_input_cases");
        c.put("pass", out.path("total").asInt() > 0 && out.path("passed").asInt() == out.path("total").asInt());
        c.put("value", out.path("passed").asInt() + " / " + out.path("total").asInt() + " cases as issue 11 asks");
    }

    /** Sends {@code text} on a fresh socket and records the answer. */
    private void wsCase(Ctx ctx, String name, String expected, String text, Predicate<String> ok) {
        wsRaw(ctx, name, expected, 0x1, text.getBytes(StandardCharsets.UTF_8), 0, ok);
    }

    /** Creates a session on a fresh socket, then sends {@code text(session id)} on that socket. */
    private void wsOwn(Ctx ctx, String name, String expected, java.util.function.LongFunction<String> text,
            Predicate<String> ok) {
        String answer;
        try (RawWs ws = RawWs.connect(ctx.ws(), 0, 3000, 4 << 20)) {
            long id = JanusCalls.createSession(ws);
            ws.sendText(text.apply(id));
            answer = answer(ws.read());
        } catch (java.net.SocketTimeoutException e) {
            answer = "no answer in 3 s";
        } catch (IOException e) {
            answer = "connection " + Report.clip(e.getMessage(), 120);
        }
        record(name, expected, answer, ok);
    }

    private static String answer(RawWs.Msg m) {
        if (m.opcode() != 8) {
            return "reply " + Report.clip(m.text(), 300);
        }
        byte[] p = m.payload();
        return "close " + m.closeCode() + " " + Report.clip(new String(p, Math.min(2, p.length), Math.max(0, p.length - 2),
                StandardCharsets.UTF_8), 120);
    }

    private void wsRaw(Ctx ctx, String name, String expected, int opcode, byte[] payload, int rsv, Predicate<String> ok) {
        String answer;
        try (RawWs ws = RawWs.connect(ctx.ws(), 0, 3000, 4 << 20)) {
            ws.sendFrame(opcode, payload, rsv);
            answer = answer(ws.read());
        } catch (java.net.SocketTimeoutException e) {
            answer = "no answer in 3 s";
        } catch (IOException e) {
            answer = "connection " + Report.clip(e.getMessage(), 120);
        }
        record(name, expected, answer, ok);
    }

    private interface Call {
        String get() throws IOException;
    }

    private void httpCase(String name, String expected, Call call, Predicate<String> ok) {
        String answer;
        try {
            answer = call.get();
        } catch (IOException e) {
            answer = "connection " + Report.clip(e.toString(), 120);
        }
        record(name, expected, answer, ok);
    }

    private void record(String name, String expected, String answer, Predicate<String> ok) {
        ObjectNode c = cases.addObject();
        c.put("case", name);
        c.put("expected", expected);
        c.put("answer", Report.clip(answer, 400));
        c.put("pass", ok.test(answer));
    }

    private static String show(Http.Reply r) {
        return "HTTP " + r.status() + " " + Report.clip(r.body(), 300);
    }

    private static byte[] bodyRequest(byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("POST /janus HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(body);
        return b.toByteArray();
    }

    private static byte[] h2Preface() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame (RFC 9113 §6.5)
        return b.toByteArray();
    }

    /** Writes raw bytes and returns what comes back in 3 s (or until close), at most 64 KB, as text. */
    private static String rawHttp(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(1500);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            long end = System.currentTimeMillis() + 3000;
            try {
                int r;
                while (got.size() < 65536 && System.currentTimeMillis() < end && (r = in.read(buf)) > 0) {
                    got.write(buf, 0, r);
                }
            } catch (java.net.SocketTimeoutException e) {
                // keep what came
            }
            byte[] g = got.toByteArray();
            if (g.length >= 9 && g[3] == 4 && g[0] == 0) {
                return "h2-frame SETTINGS (" + g.length + " bytes): the port speaks HTTP/2";
            }
            if (g.length == 0) {
                return "closed without an answer";
            }
            String t = new String(g, StandardCharsets.UTF_8);
            int body = t.indexOf("\r\n\r\n");
            String status = t.lines().findFirst().orElse("");
            return body < 0 ? t.replace("\r\n", " | ") : status + " … " + t.substring(body + 4).replace("\r\n", " | ");
        }
    }
}
