package org.janussfu.loadtest.abuse;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends requests on one {@link RawWs} with at most {@code window} awaiting a reply, while a reader thread of its own
 * classifies every reply ({@link JanusCalls#verdict}: ok / error N / plugin-error msg) and notes the server's close
 * frame. A request the server never answers holds a window slot, so {@link #send} gives up after
 * {@code stallMs} without a free slot: the attack then ends by itself instead of hanging. Threads: the caller's
 * (sending) and "pipeline-reader"; counters are thread-safe.
 */
final class Pipeline implements AutoCloseable {
    private final RawWs ws;
    private final Semaphore window;
    private final long stallMs;
    private final Map<String, Long> outcomes = new TreeMap<>();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong replies = new AtomicLong();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong repliesAfterClose = new AtomicLong();
    volatile int closeCode = -1;
    volatile long closedAtNanos;
    volatile String readError;
    private final Thread reader;

    Pipeline(RawWs ws, int window, long stallMs) throws IOException {
        this.ws = ws;
        this.window = new Semaphore(window);
        this.stallMs = stallMs;
        ws.setReadTimeout(0);
        reader = new Thread(this::readLoop, "pipeline-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        try {
            while (true) {
                RawWs.Msg m = ws.read();
                if (m.opcode() == 8) {
                    if (closeCode < 0) {
                        closeCode = m.closeCode();
                        closedAtNanos = System.nanoTime();
                    }
                    continue; // keep reading: does the server still answer after its close frame?
                }
                String head = m.head(4096);
                boolean ack = head.contains("\"janus\":\"ack\"");
                if (ack) {
                    acks.incrementAndGet();
                    if (!ackIsReply) {
                        continue; // "processing"; the reply follows
                    }
                }
                boolean tx = head.contains("\"transaction\"");
                boolean error = head.contains("\"janus\":\"error\"");
                if (!tx && !error) {
                    continue; // an event for another user
                }
                replies.incrementAndGet();
                if (closeCode >= 0) {
                    repliesAfterClose.incrementAndGet();
                }
                // an error without a transaction (e.g. "too many requests") still answers one request
                count(ack ? "ack" : JanusCalls.verdict(head) + (tx ? "" : " (no transaction)"));
                window.release();
            }
        } catch (IOException e) {
            readError = e.getMessage();
            window.release(1_000_000); // unblock the sender
        }
    }

    /** Set when every request is a keepalive: Janus answers those with an ack, which is then the reply. */
    volatile boolean ackIsReply;

    private synchronized void count(String outcome) {
        outcomes.merge(outcome, 1L, Long::sum);
    }

    synchronized Map<String, Long> outcomes() {
        return new TreeMap<>(outcomes);
    }

    /** Sends when a window slot is free; false if none freed within the stall time or the socket is gone. */
    boolean send(String json) {
        try {
            if (readError != null || !window.tryAcquire(stallMs, TimeUnit.MILLISECONDS) || readError != null) {
                return false;
            }
            ws.sendText(json);
            sent.incrementAndGet();
            return true;
        } catch (IOException e) {
            readError = readError == null ? "write: " + e.getMessage() : readError;
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits up to {@code ms} for every sent request to be answered. */
    void drain(long ms) {
        long end = System.currentTimeMillis() + ms;
        while (replies.get() < sent.get() && readError == null && System.currentTimeMillis() < end) {
            Sleep.ms(20);
        }
    }

    String problem() {
        return readError;
    }

    @Override
    public void close() {
        ws.close();
    }
}
