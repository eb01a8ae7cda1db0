package org.janussfu.loadtest.abuse;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately small RFC 6455 WebSocket client on a blocking {@link Socket}, so that an attack controls every
 * byte: it can stop reading (the kernel buffers fill and TCP back-pressures the server), send frames with RSV bits
 * or invalid UTF-8, and read 15 MB messages while counting them. Subprotocol {@code janus-protocol}. Client frames
 * are masked (§5.3) with a zero key, which is valid and costs no CPU. Not thread-safe: one writer thread and one
 * reader thread at most (writes are synchronized among themselves).
 */
final class RawWs implements AutoCloseable {
    /** One received message (continuation frames joined) or a close frame ({@code opcode == 8}). */
    record Msg(int opcode, byte[] payload, int closeCode) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The first {@code n} bytes as text (for matching a transaction in a 15 MB reply). */
        String head(int n) {
            return new String(payload, 0, Math.min(n, payload.length), StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxMessage;
    volatile long bytesRead;

    private RawWs(Socket socket, int maxMessage) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
        this.maxMessage = maxMessage;
    }

    /**
     * Connects to 127.0.0.1:{@code port} and completes the upgrade (RFC 6455 §4.1).
     *
     * @param rcvBuf the socket receive buffer (0 = the kernel's default); a slow reader uses a small one
     * @param timeoutMs connect and read timeout
     */
    static RawWs connect(int port, int rcvBuf, int timeoutMs, int maxMessage) throws IOException {
        Socket s = new Socket();
        try {
            if (rcvBuf > 0) {
                s.setReceiveBufferSize(rcvBuf);
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMs);
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String req = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: janus-protocol\r\n\r\n";
            RawWs ws = new RawWs(s, maxMessage);
            ws.out.write(req.getBytes(StandardCharsets.US_ASCII));
            ws.out.flush();
            String head = ws.readHeaders();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            return ws;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private String readHeaders() throws IOException {
        StringBuilder sb = new StringBuilder();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during upgrade");
            }
            sb.append((char) b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (sb.length() > 16384) {
                throw new IOException("upgrade response too long");
            }
        }
        return sb.toString();
    }

    void setReadTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** Sends one final frame with {@code opcode}, optional RSV bits ({@code rsv} in 0..7) and a zero mask key. */
    synchronized void sendFrame(int opcode, byte[] payload, int rsv) throws IOException {
        int n = payload.length;
        byte[] h = new byte[14];
        int i = 0;
        h[i++] = (byte) (0x80 | (rsv & 7) << 4 | opcode);
        if (n < 126) {
            h[i++] = (byte) (0x80 | n);
        } else if (n < 65536) {
            h[i++] = (byte) (0x80 | 126);
            h[i++] = (byte) (n >>> 8);
            h[i++] = (byte) n;
        } else {
            h[i++] = (byte) (0x80 | 127);
            for (int k = 7; k >= 0; k--) {
                h[i++] = (byte) (k >= 4 ? 0 : n >>> (8 * k));
            }
        }
        i += 4; // zero mask key: payload unchanged
        out.write(h, 0, i);
        out.write(payload);
        out.flush();
    }

    /** Reads the next data message or close frame; answers pings. Blocks up to the read timeout. */
    Msg read() throws IOException {
        ByteArrayOutputStream msg = null;
        int msgOp = 0;
        while (true) {
            int b0 = readByte();
            int b1 = readByte();
            int op = b0 & 0x0F;
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int k = 0; k < 8; k++) {
                    len = (len << 8) | readByte();
                }
            }
            if ((b1 & 0x80) != 0) {
                for (int k = 0; k < 4; k++) {
                    readByte(); // servers never mask (§5.1); skip a key anyway
                }
            }
            if (len > maxMessage) {
                throw new IOException("frame of " + len + " bytes exceeds " + maxMessage);
            }
            byte[] p = in.readNBytes((int) len);
            if (p.length < len) {
                throw new EOFException("closed mid-frame");
            }
            bytesRead += 2 + len;
            if (op == 0x8) {
                int code = p.length >= 2 ? (p[0] & 0xFF) << 8 | (p[1] & 0xFF) : 1005;
                return new Msg(8, p, code);
            }
            if (op == 0x9) {
                sendFrame(0xA, p, 0);
                continue;
            }
            if (op == 0xA) {
                continue;
            }
            if (op != 0) {
                msgOp = op;
                msg = new ByteArrayOutputStream((int) Math.max(len, 64));
            }
            if (msg == null) {
                throw new IOException("continuation without a first frame");
            }
            msg.write(p);
            if (msg.size() > maxMessage) {
                throw new IOException("message exceeds " + maxMessage);
            }
            if ((b0 & 0x80) != 0) {
                return new Msg(msgOp, msg.toByteArray(), 0);
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed");
        }
        return b;
    }

    /** Reads until a non-ack text message naming {@code tx} arrives (events in between are skipped). */
    String awaitReply(String tx) throws IOException {
        String needle = "\"transaction\":\"" + tx + "\"";
        while (true) {
            Msg m = read();
            if (m.opcode() == 8) {
                throw new EOFException("closed by server with " + m.closeCode());
            }
            String head = m.head(8192);
            if (head.contains(needle) && !head.contains("\"janus\":\"ack\"")) {
                return m.payload().length > 8192 ? head : m.text();
            }
        }
    }

    /** A request/reply round trip. */
    String call(String json, String tx) throws IOException {
        sendText(json);
        return awaitReply(tx);
    }

    /**
     * Reads raw bytes for up to {@code ms} or {@code maxBytes}: returns the bytes read if the server had closed the
     * connection (EOF or reset seen), else -1. Tells whether a slow reader was disconnected, at bounded cost.
     */
    long drainUntilEof(long maxBytes, long ms) {
        long end = System.currentTimeMillis() + ms;
        long n = 0;
        byte[] buf = new byte[65536];
        try {
            socket.setSoTimeout(200);
            while (n < maxBytes && System.currentTimeMillis() < end) {
                int r;
                try {
                    r = in.read(buf);
                } catch (java.net.SocketTimeoutException e) {
                    continue;
                }
                if (r < 0) {
                    return n;
                }
                n += r;
            }
            return -1;
        } catch (IOException e) {
            return n; // reset by the server
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
