package org.janussfu.loadtest.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import org.janussfu.rtp.HandoffQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handing a packet object to a consumer on another Vert.x event loop, three ways:
 * <ul>
 *   <li>{@code handoff}: the server's {@link HandoffQueue} (lock-free slots, one drain task per idle→busy; its
 *       publication is a volatile store since this benchmark found lost wake-ups with a release-only one).</li>
 *   <li>{@code eventbus}: the local event bus, {@code send} to a {@code localConsumer} registered on the consumer's
 *       context, {@code DeliveryOptions.setLocalOnly(true)}, a pass-through {@link MessageCodec} registered as
 *       the default codec of the item class (no copy, no headers).</li>
 *   <li>{@code runOnContext}: {@code consumerContext.runOnContext(v -> consume(item))}, one lambda per item.</li>
 * </ul>
 * Benchmarks (scores per item):
 * <ul>
 *   <li>{@code batchFromLoop}: a producer on a second event loop (the publisher's loop in the server) hands
 *       {@value #BATCH} items over; the invocation ends when the consumer has taken the last one. The JMH thread
 *       parks meanwhile, so only the two loops compete for the two cores.</li>
 *   <li>{@code batchFromThread}: the JMH thread is the producer (like an ice4j receive thread), then waits.</li>
 *   <li>{@code single}: one item from the JMH thread and wait for the consumer to have it: the hand-off latency
 *       for an isolated packet, including waking the idle event loop and waking the waiter.</li>
 * </ul>
 * The completion signal is a volatile counter written by the consumer plus {@code LockSupport.unpark}. Batches
 * stay below the queue's capacity (the server's 512), so nothing is dropped; a refused offer is retried and
 * counted.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandoffBench {
    static final int BATCH = 256;
    static final int QUEUE = 512;
    static final String ADDRESS = "bench.handoff";
    static final long STALL_MILLIS = 100;

    @Param({"handoff", "eventbus", "runOnContext"})
    String mechanism;

    /** The object handed over (stands in for a PooledPacket). */
    public static final class Item {
        final int value;

        Item(int value) {
            this.value = value;
        }
    }

    /** Local-only codec that passes the object itself (design-notes §5.7); never used on a wire. */
    static final class PassThroughCodec implements MessageCodec<Item, Item> {
        @Override
        public void encodeToWire(Buffer buffer, Item item) {
            throw new UnsupportedOperationException("local only");
        }

        @Override
        public Item decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException("local only");
        }

        @Override
        public Item transform(Item item) {
            return item;
        }

        @Override
        public String name() {
            return "bench-pass-through";
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }

    private Vertx vertx;
    private Context producer;
    private Context consumer;
    private Item[] items;
    private int mode;
    private HandoffQueue<Item> queue;
    private EventBus bus;
    private DeliveryOptions local;
    private MessageConsumer<Item> registration;
    private Handler<Void> produceBatch;

    // consumer-side state (consumer loop only, except the volatile signal)
    private long consumed;
    private long checksum;
    private volatile long done;
    private volatile Thread waiter;
    private volatile long wakeAt;

    private long target;
    private long retries;
    private long stalls;
    private long stranded;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
        producer = contextOfNewVerticle();
        consumer = contextOfNewVerticle();
        items = new Item[BATCH];
        for (int i = 0; i < BATCH; i++) {
            items[i] = new Item(i);
        }
        mode = switch (mechanism) {
            case "handoff" -> 0;
            case "eventbus" -> 1;
            case "runOnContext" -> 2;
            default -> throw new IllegalArgumentException(mechanism);
        };
        queue = new HandoffQueue<>(QUEUE, consumer, this::consume);
        bus = vertx.eventBus();
        bus.registerDefaultCodec(Item.class, new PassThroughCodec());
        local = new DeliveryOptions().setLocalOnly(true);
        AtomicReference<MessageConsumer<Item>> reg = new AtomicReference<>();
        Promise<Void> registered = Promise.promise();
        consumer.runOnContext(v -> {
            MessageConsumer<Item> c = bus.localConsumer(ADDRESS, m -> consume(m.body()));
            reg.set(c);
            c.completion().onComplete(registered);
        });
        registered.future().await(10, TimeUnit.SECONDS);
        registration = reg.get();
        produceBatch = v -> {
            for (int i = 0; i < BATCH; i++) {
                handOver(items[i]);
            }
        };
        String p = onContext(producer);
        String c = onContext(consumer);
        if (p.equals(c)) {
            throw new IllegalStateException("producer and consumer share a thread: " + p);
        }
    }

    private Context contextOfNewVerticle() throws Exception {
        AtomicReference<Context> ctx = new AtomicReference<>();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                ctx.set(context);
            }
        }).await(10, TimeUnit.SECONDS);
        return ctx.get();
    }

    private static String onContext(Context ctx) throws Exception {
        Promise<String> name = Promise.promise();
        ctx.runOnContext(v -> name.complete(Thread.currentThread().getName()));
        return name.future().await(10, TimeUnit.SECONDS);
    }

    private void handOver(Item item) {
        switch (mode) {
            case 0:
                while (!queue.offer(item)) {
                    retries++;
                    Thread.onSpinWait();
                }
                break;
            case 1:
                bus.send(ADDRESS, item, local);
                break;
            default:
                consumer.runOnContext(v -> consume(item));
                break;
        }
    }

    /** On the consumer loop. */
    private void consume(Item item) {
        checksum += item.value;
        long c = ++consumed;
        if (c >= wakeAt) {
            done = c;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * Waits until the consumer has taken everything handed over so far; spins first only if allowed. If nothing
     * arrives for {@value #STALL_MILLIS} ms the hand-off has lost its wake-up (an item sits in the queue with no
     * drain scheduled): count it, note how many items were stranded, and hand over one more item, which
     * schedules a drain that takes the stranded ones too.
     */
    private void await(long until, int spins) {
        for (int i = 0; i < spins && done < until; i++) {
            Thread.onSpinWait();
        }
        long last = done;
        long since = System.nanoTime();
        while (done < until) {
            LockSupport.parkNanos(this, 1_000_000L);
            long now = System.nanoTime();
            long d = done;
            if (d != last) {
                last = d;
                since = now;
            } else if (now - since > STALL_MILLIS * 1_000_000L) {
                stalls++;
                stranded += until - consumed;
                target++;
                handOver(items[0]);
                since = now;
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchFromLoop() {
        target += BATCH;
        wakeAt = target;
        producer.runOnContext(produceBatch);
        await(target, 0);
        return done;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchFromThread() {
        target += BATCH;
        wakeAt = target;
        for (int i = 0; i < BATCH; i++) {
            handOver(items[i]);
        }
        await(target, 20_000);
        return done;
    }

    @Benchmark
    public long single() {
        target += 1;
        wakeAt = target;
        handOver(items[(int) (target & (BATCH - 1))]);
        await(target, 20_000);
        return done;
    }

    @Setup(Level.Iteration)
    public void register() {
        waiter = Thread.currentThread();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println("handed over " + target + ", consumed " + done + ", offer retries " + retries
                + ", dropped " + queue.dropped() + ", lost wake-ups " + stalls + " (" + stranded
                + " items stranded until the next hand-off; checksum " + checksum + ")");
        registration.unregister().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
