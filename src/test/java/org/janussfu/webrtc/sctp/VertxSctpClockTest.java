package org.janussfu.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Two associations on one Vert.x event loop with the production clock: the wiring the lead will use. */
class VertxSctpClockTest {

    @Test
    void associationsRunOnOneEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Context ctx = vertx.getOrCreateContext();
            CompletableFuture<byte[]> got = new CompletableFuture<>();
            AtomicReference<Thread> loop = new AtomicReference<>();
            CompletableFuture<Thread> timerThread = new CompletableFuture<>();
            ctx.runOnContext(v -> {
                loop.set(Thread.currentThread());
                VertxSctpClock clock = new VertxSctpClock(vertx);
                clock.schedule(1, () -> timerThread.complete(Thread.currentThread()));
                SctpClock.Timer cancelled = clock.schedule(5, () -> got.completeExceptionally(
                        new AssertionError("cancelled timer ran")));
                cancelled.cancel();
                SctpAssociation[] ends = new SctpAssociation[2];
                Listener[] listeners = {new Listener(null), new Listener(got)};
                for (int i = 0; i < 2; i++) {
                    int peer = 1 - i;
                    ends[i] = new SctpAssociation(5000, 5000, clock,
                            (buf, off, len) -> {
                                byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
                                ctx.runOnContext(x -> ends[peer].receive(copy, 0, copy.length));
                            }, listeners[i], SctpConfig.defaults());
                }
                listeners[0].onUp = () -> ends[0].send(1, 51, new byte[] {1, 2, 3}, 0, 3, false, -1, -1);
                ends[0].start();
                ends[1].start();
            });
            assertArrayEquals(new byte[] {1, 2, 3}, got.get(10, TimeUnit.SECONDS));
            assertEquals(loop.get(), timerThread.get(10, TimeUnit.SECONDS), "timers run on the owning event loop");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static final class Listener implements SctpTransport.Listener {
        final CompletableFuture<byte[]> got;
        Runnable onUp = () -> { };

        Listener(CompletableFuture<byte[]> got) {
            this.got = got;
        }

        @Override
        public void onEstablished() {
            onUp.run();
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] data, int off, int len) {
            if (got != null) {
                got.complete(java.util.Arrays.copyOfRange(data, off, off + len));
            }
        }

        @Override
        public void onStreamsReset(int[] streamIds) {
        }

        @Override
        public void onClosed(String reason) {
        }
    }
}
