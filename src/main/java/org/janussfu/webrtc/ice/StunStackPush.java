package org.janussfu.webrtc.ice;

import org.ice4j.StunException;
import org.ice4j.StunMessageEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.message.Message;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How STUN reaches an ice4j agent without a thread per agent (issue 12). ice4j's {@code StunStack.addSocket} starts
 * one {@code IceConnector} thread per socket, blocked in {@code receive()} — one thread per PeerConnection and
 * endpoint. Instead, {@link #attach} registers the socket's send side the way {@code addSocket} does (a
 * {@code Connector} in the stack's table of local addresses, found by ice4j when it sends a check or a response) but
 * never starts its thread, and {@link #push} hands an authenticated message to the stack on a small, fixed pool
 * shared by all agents — the same decode-and-dispatch ice4j's {@code MessageProcessingTask} does, through public API
 * ({@code Message.decode}, {@code StunStack.handleMessageEvent}). The private members it needs are looked up once
 * by reflection; where they are missing (another ice4j version) {@link #attach} falls back to {@code addSocket} with
 * one WARNING, and {@link #pushing()} says so (a test fails then). Process-wide; any thread.
 */
public final class StunStackPush {
    private static final Logger LOG = Logger.getLogger(StunStackPush.class.getName());
    /**
     * Threads that process STUN for every agent: a fixed number, whatever the number of PeerConnections — more than
     * the cores, so that one handler waiting on an agent's lock does not hold up the consent checks of all others.
     */
    static final int THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Messages waiting for those threads, over all agents; beyond it a message is dropped and counted. */
    static final int QUEUE = 8192;
    public static final LongAdder DROPPED = new LongAdder();
    public static final LongAdder PROCESSED = new LongAdder();

    private static final Method NET_ACCESS_MANAGER;
    private static final Field UDP_CONNECTORS;
    private static final Constructor<?> CONNECTOR;
    private static final ThreadPoolExecutor POOL;

    static {
        Method nam = null;
        Field udp = null;
        Constructor<?> ctor = null;
        try {
            nam = StunStack.class.getDeclaredMethod("getNetAccessManager");
            nam.setAccessible(true);
            Class<?> namClass = Class.forName("org.ice4j.stack.NetAccessManager");
            udp = namClass.getDeclaredField("udpConnectors");
            udp.setAccessible(true);
            ctor = Class.forName("org.ice4j.stack.Connector").getDeclaredConstructor(IceSocketWrapper.class,
                    TransportAddress.class, Consumer.class, Class.forName("org.ice4j.stack.ErrorHandler"));
            ctor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "ice4j's STUN stack cannot be fed without its connector threads (" + e
                    + "): one thread per PeerConnection and endpoint");
            nam = null;
        }
        NET_ACCESS_MANAGER = nam;
        UDP_CONNECTORS = udp;
        CONNECTOR = ctor;
        AtomicInteger n = new AtomicInteger();
        POOL = new ThreadPoolExecutor(THREADS, THREADS, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "ice-stun-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    private StunStackPush() {
    }

    /** True when agents are fed by {@link #push} (no connector thread); false on the fallback. */
    static boolean pushing() {
        return NET_ACCESS_MANAGER != null;
    }

    /** Threads of the shared pool alive now (for tests and the resource bounds). */
    static int poolThreads() {
        return POOL.getPoolSize();
    }

    /**
     * Lets {@code stack} send from {@code socket}'s local address, without a receiving thread. On the fallback this
     * is ice4j's own {@code addSocket} (which reads the socket on a thread of its own).
     */
    @SuppressWarnings("unchecked")
    static void attach(StunStack stack, IceSocketWrapper socket) {
        if (!pushing()) {
            stack.addSocket(socket);
            return;
        }
        try {
            Object nam = NET_ACCESS_MANAGER.invoke(stack);
            Map<TransportAddress, Map<TransportAddress, Object>> connectors =
                    (Map<TransportAddress, Map<TransportAddress, Object>>) UDP_CONNECTORS.get(nam);
            TransportAddress local = new TransportAddress(socket.getLocalAddress(), socket.getLocalPort(),
                    Transport.UDP);
            Consumer<RawMessage> never = m -> { }; // the connector's thread is never started: nothing reads here
            Object connector = CONNECTOR.newInstance(socket, null, never, nam);
            synchronized (connectors) {
                connectors.computeIfAbsent(local, k -> new HashMap<>()).putIfAbsent(null, connector);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ice4j connector table", e);
        }
    }

    /**
     * Hands one STUN message, already authenticated by the endpoint, to {@code socket}'s agent on the shared pool.
     * False if the pool's queue is full (the message is dropped; ICE retransmits, RFC 8489 §6.2.1). The socket's
     * {@link IceSocket#stunDone} runs once the pool processed the message.
     */
    static boolean push(IceSocket socket, byte[] message, InetSocketAddress from) {
        try {
            POOL.execute(() -> {
                try {
                    if (socket.isOpen()) { // a message for an agent freed meanwhile is dropped
                        deliver(socket.agent.getStunStack(), message, from, socket.stunLocal());
                    }
                } finally {
                    socket.stunDone();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            DROPPED.increment();
            return false;
        }
    }

    private static void deliver(StunStack stack, byte[] message, InetSocketAddress from, TransportAddress local) {
        try {
            RawMessage raw = RawMessage.build(message, message.length,
                    new TransportAddress(from.getAddress(), from.getPort(), Transport.UDP), local);
            Message decoded = Message.decode(message, 0, message.length);
            stack.handleMessageEvent(new StunMessageEvent(stack, raw, decoded));
            PROCESSED.increment();
        } catch (StunException | RuntimeException e) {
            // a message the endpoint authenticated but ice4j cannot use (or an agent being freed): dropped
            DROPPED.increment();
        }
    }
}
