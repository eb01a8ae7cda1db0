package org.janussfu.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw TCP client for abuse tests: writes bytes exactly as given (partial headers, frames with RSV bits,
 * invalid UTF-8, nothing at all), performs a bare RFC 6455 handshake, writes masked frames and reads the
 * server's frames, and tells when the server closed the connection. Used from the JUnit thread only.
 */
final class RawSocket implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A server frame: opcode and payload (RFC 6455 §5.2). */
    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    RawSocket(int port) throws IOException {
        this(port, 0);
    }

    /** With {@code receiveBuffer} &gt; 0 the socket's receive buffer is that small (a reader that lags). */
    RawSocket(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The WebSocket opening handshake with subprotocol janus-protocol; returns the server's status line. */
    String upgrade() throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: janus-protocol\r\n\r\n");
        String head = readHead();
        return head.substring(0, head.indexOf("\r\n"));
    }

    /** Reads an HTTP response head (up to the blank line). */
    String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed after " + b);
            }
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Writes one masked client frame with the given first byte (FIN, RSV, opcode) and payload. */
    void frame(int firstByte, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 65536) {
            f.write(0x80 | 126);
            f.write(n >> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) n >> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        write(f.toByteArray());
    }

    void text(String s) throws IOException {
        frame(0x81, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one server frame, or null when the server closed the TCP connection. */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = ((long) readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        byte[] p = in.readNBytes((int) len);
        if (p.length < len) {
            return null;
        }
        return new Frame(b0 & 0x0f, p);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    /** Reads (and discards data frames) until the close frame; returns its code, or -1 if the TCP closed first. */
    int awaitCloseCode() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f == null) {
                return -1;
            }
            if (f.opcode() == 8) {
                return f.closeCode();
            }
        }
    }

    /** Whether the server closes the TCP connection within {@code millis} (reading and dropping what comes). */
    boolean closedWithin(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] sink = new byte[65536];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000L)));
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (IOException e) {
                return true; // reset
            }
        }
        socket.setSoTimeout(10_000);
        return false;
    }

    /** Reads whatever arrives within {@code millis} as text (an HTTP response, usually). */
    String readFor(long millis) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000L)));
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                b.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (IOException e) {
                break;
            }
        }
        if (!socket.isClosed()) {
            socket.setSoTimeout(10_000);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
