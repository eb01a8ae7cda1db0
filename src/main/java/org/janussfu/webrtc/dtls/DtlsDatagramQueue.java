package org.janussfu.webrtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * The datagram path Bouncy Castle's DTLS engine runs on, with no socket behind it (the idea of JVB's DtlsStack):
 * inbound records are copied into a bounded queue by {@link #offer} from any thread; outbound records go straight
 * to the owner's {@link DtlsTransport.Sender}. It has two reading modes. During the handshake, {@link #receive}
 * blocks the DTLS worker for at most BC's wait and never past the handshake deadline, then throws
 * {@link TlsTimeoutException}. After it, the queue is non-blocking: an empty queue ends BC's read with an
 * {@link InterruptedIOException}, which Bouncy Castle passes through without failing the connection, so a drain
 * task can process what has arrived and return its thread at once. {@link #close()} wakes a blocked reader; reads
 * after that throw. Shared between the owner's threads (offer, close) and the one DTLS worker running at a time.
 */
final class DtlsDatagramQueue implements DatagramTransport {
    /** Largest datagram we accept (an Ethernet MTU); larger ones are refused as garbage. */
    static final int RECEIVE_LIMIT = 1500;
    /** Largest datagram we send: leaves room for IPv6, UDP and TURN headers within 1280 (RFC 8261 §5). */
    static final int SEND_LIMIT = 1200;

    private static final byte[] WAKE = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue;
    private final DtlsTransport.Sender sender;
    private final Drained drained = new Drained();
    private final LongAdder sendErrors = new LongAdder();
    private volatile boolean closed;
    private volatile boolean nonBlocking;
    private volatile long deadlineNanos;
    private volatile boolean deadlineArmed;
    private volatile boolean timedOut;

    DtlsDatagramQueue(int capacity, DtlsTransport.Sender sender) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = sender;
    }

    /** Copies one record in; false if closed or full (the caller counts the drop). */
    boolean offer(byte[] buf, int off, int len) {
        if (closed) {
            return false;
        }
        return queue.offer(Arrays.copyOfRange(buf, off, off + len));
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Handshake reads fail with {@link TlsTimeoutException} once this much time has passed. */
    void armDeadline(long timeoutNanos) {
        deadlineNanos = System.nanoTime() + timeoutNanos;
        deadlineArmed = true;
    }

    /** Switches to post-handshake mode: no deadline, never block. */
    void handshakeDone() {
        deadlineArmed = false;
        nonBlocking = true;
    }

    boolean timedOut() {
        return timedOut;
    }

    /** Whether {@code e} is this queue's "nothing more to read right now" signal. */
    boolean isDrained(Throwable e) {
        return e == drained;
    }

    long sendErrors() {
        return sendErrors.sum();
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        for (;;) {
            if (closed) {
                throw new IOException("DTLS transport closed");
            }
            byte[] record;
            if (nonBlocking) {
                record = queue.poll();
                if (record == null) {
                    throw drained;
                }
            } else {
                record = pollBlocking(waitMillis);
                if (record == null) {
                    return -1;
                }
            }
            if (record == WAKE || record.length > len) {
                continue;
            }
            System.arraycopy(record, 0, buf, off, record.length);
            return record.length;
        }
    }

    private byte[] pollBlocking(int waitMillis) throws IOException {
        long waitNanos = waitMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(waitMillis) : Long.MAX_VALUE;
        if (deadlineArmed) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                timedOut = true;
                throw new TlsTimeoutException("DTLS handshake timeout");
            }
            waitNanos = Math.min(waitNanos, remaining);
        }
        try {
            return queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("DTLS worker interrupted");
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (closed) {
            return;
        }
        try {
            sender.send(buf, off, len);
        } catch (RuntimeException e) {
            sendErrors.increment();
        }
    }

    /** Stops all reads and sends and wakes a blocked reader. Idempotent; Bouncy Castle calls it too. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(WAKE);
    }

    /** The "queue empty" signal of non-blocking mode: one instance per queue, no stack trace. */
    private static final class Drained extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Drained() {
            super("no queued DTLS records");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
