package org.janussfu.webrtc.usrsctp;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import org.janussfu.webrtc.sctp.SctpTransport;

/**
 * An {@link SctpTransport} backed by usrsctp (Debian's libusrsctp2, through JNA): an independent SCTP peer for tests,
 * never product code (decision 1 of shared/README). One AF_CONN one-to-one socket per association, configured as
 * Janus' sctp.c configures its own (non-blocking, SO_LINGER, stream reset enabled, NODELAY, the same event
 * subscriptions, 1024 streams each way); both sides {@code connect} (simultaneous open, RFC 8841). Packets it
 * produces go to {@code wireOut}; packets from the wire come in through {@link #receive}.
 *
 * <p>Threads: single owner, like every {@link SctpTransport}. The constructor and every method run on
 * {@code owner} (a single-thread executor, or a Vert.x context), and so do all {@link Listener} callbacks and
 * {@code wireOut}. usrsctp calls back on its own threads (or inside our calls): {@code conn_output} copies the packet
 * and posts {@code wireOut} to the owner; the socket upcall only posts one coalesced "drain" task, which reads with
 * non-blocking {@code usrsctp_recvv} on the owner. This avoids both a blocking reader thread and the by-value
 * struct arguments of usrsctp's receive callback (and its {@code free()} of the data). Packets that arrive before
 * {@link #start} are held (a few) and fed after our own connect, since an unconnected usrsctp socket ABORTs an INIT.
 */
public final class UsrsctpTransport implements SctpTransport {

    /** The SCTP port WebRTC uses by default ({@code a=sctp-port}, RFC 8841 §5). */
    public static final int DEFAULT_PORT = 5000;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;
    private static final int STREAMS = 1024;
    private static final int SOCKET_BUFFER = 1024 * 1024;
    private static final int RECV_CHUNK = 64 * 1024;

    private final UsrsctpLibrary lib = UsrsctpRuntime.library();
    private final Executor owner;
    private final Consumer<byte[]> wireOut;
    private final Listener listener;
    private final int remotePort;
    private final int maxMessageSize;
    private final long token;
    private final Pointer address;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Memory spa = new Memory(UsrsctpLibrary.SENDV_SPA_SIZE);
    private final Memory recvBuffer = new Memory(RECV_CHUNK);
    private final Memory rcvInfo = new Memory(UsrsctpLibrary.RCVINFO_SIZE);
    private final IntByReference infoLength = new IntByReference();
    private final IntByReference infoType = new IntByReference();
    private final IntByReference msgFlags = new IntByReference();

    private Pointer socket;
    private boolean established;
    private boolean closed;
    private boolean started;
    private byte[][] earlyPackets = new byte[16][];
    private int earlyCount;
    private boolean released;
    private long unacknowledgedBytes;
    private byte[] assembly = new byte[RECV_CHUNK];
    private int assemblyLength;
    private int[] pendingResets = new int[0];
    private long sendsRefused;
    private long packetsIn;
    private long packetsOut;

    /**
     * Creates and binds the socket (call on {@code owner}); {@link #start} connects.
     *
     * @param wireOut where outgoing SCTP packets go (the DTLS transport, or an in-memory wire), called on owner
     * @throws IllegalStateException when libusrsctp.so.2 is not loadable or a socket call fails
     */
    public UsrsctpTransport(Executor owner, Consumer<byte[]> wireOut, Listener listener, int localPort,
                            int remotePort, int maxMessageSize) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.wireOut = Objects.requireNonNull(wireOut, "wireOut");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.remotePort = remotePort;
        this.maxMessageSize = maxMessageSize;
        this.token = UsrsctpRuntime.register(this);
        this.address = new Pointer(token);
        lib.usrsctp_register_address(address);
        socket = lib.usrsctp_socket(UsrsctpLibrary.AF_CONN, UsrsctpLibrary.SOCK_STREAM,
                UsrsctpLibrary.IPPROTO_SCTP, null, null, 0, null);
        if (socket == null) {
            release();
            throw new IllegalStateException("usrsctp_socket failed, errno " + Native.getLastError());
        }
        try {
            UsrsctpSockets.configure(lib, socket, address, STREAMS, SOCKET_BUFFER);
            UsrsctpSockets.check(lib.usrsctp_bind(socket, UsrsctpSockets.sockaddrConn(localPort, address),
                    UsrsctpLibrary.SOCKADDR_CONN_SIZE), "bind");
        } catch (IllegalStateException e) {
            release();
            throw e;
        }
    }

    /** Whether libusrsctp.so.2 loaded here; tests skip (JUnit assumptions) when it did not. */
    public static boolean available() {
        return UsrsctpRuntime.available();
    }

    /** Why libusrsctp.so.2 could not be loaded, or null. */
    public static String loadError() {
        return UsrsctpRuntime.loadError();
    }

    /** Convenience: port 5000 both sides, 256 KiB messages. */
    public UsrsctpTransport(Executor owner, Consumer<byte[]> wireOut, Listener listener) {
        this(owner, wireOut, listener, DEFAULT_PORT, DEFAULT_PORT, DEFAULT_MAX_MESSAGE_SIZE);
    }

    /**
     * Connects (simultaneous open), then feeds the packets that arrived before: a bound but unconnected usrsctp
     * socket answers an INIT with ABORT, so the peer's INIT must not reach usrsctp before our own connect.
     */
    @Override
    public void start() {
        if (socket == null || started) {
            return;
        }
        started = true;
        int r = lib.usrsctp_connect(socket, UsrsctpSockets.sockaddrConn(remotePort, address),
                UsrsctpLibrary.SOCKADDR_CONN_SIZE);
        if (r < 0 && Native.getLastError() != UsrsctpLibrary.EINPROGRESS) {
            finish("connect failed, errno " + Native.getLastError());
            return;
        }
        byte[][] early = earlyPackets;
        int count = earlyCount;
        earlyPackets = null;
        earlyCount = 0;
        for (int i = 0; i < count; i++) {
            receive(early[i], 0, early[i].length);
        }
    }

    @Override
    public void receive(byte[] buf, int off, int len) {
        if (socket == null || len <= 0) {
            return;
        }
        byte[] packet = off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len);
        if (!started) {
            if (earlyCount < earlyPackets.length) { // bounded; beyond it SCTP retransmits
                earlyPackets[earlyCount++] = packet;
            }
            return;
        }
        packetsIn++;
        lib.usrsctp_conninput(address, packet, len, (byte) 0);
    }

    @Override
    public boolean send(int streamId, int ppid, byte[] data, int off, int len, boolean unordered, int maxRetransmits,
                        int maxLifetimeMillis) {
        if (socket == null || !established || closed || len <= 0 || len > maxMessageSize) {
            sendsRefused++;
            return false;
        }
        boolean partial = maxRetransmits >= 0 || maxLifetimeMillis >= 0;
        spa.clear();
        spa.setInt(0, UsrsctpLibrary.SCTP_SEND_SNDINFO_VALID | (partial ? UsrsctpLibrary.SCTP_SEND_PRINFO_VALID : 0));
        spa.setShort(4, (short) streamId);
        spa.setShort(6, (short) (UsrsctpLibrary.SCTP_EOR | (unordered ? UsrsctpLibrary.SCTP_UNORDERED : 0)));
        spa.setInt(8, Integer.reverseBytes(ppid)); // snd_ppid is in network byte order
        if (partial) {
            spa.setShort(20, (short) (maxRetransmits >= 0 ? UsrsctpLibrary.SCTP_PR_SCTP_RTX
                    : UsrsctpLibrary.SCTP_PR_SCTP_TTL));
            spa.setInt(24, maxRetransmits >= 0 ? maxRetransmits : maxLifetimeMillis);
        }
        byte[] payload = off == 0 && len == data.length ? data : Arrays.copyOfRange(data, off, off + len);
        long r = lib.usrsctp_sendv(socket, payload, len, null, 0, spa, UsrsctpLibrary.SENDV_SPA_SIZE,
                UsrsctpLibrary.SCTP_SENDV_SPA, 0);
        if (r < 0) {
            sendsRefused++; // EAGAIN: the send buffer is full
            return false;
        }
        unacknowledgedBytes += len;
        return true;
    }

    @Override
    public void resetStreams(int[] streamIds) {
        if (socket == null || closed || streamIds.length == 0) {
            return;
        }
        int[] all = Arrays.copyOf(pendingResets, pendingResets.length + streamIds.length);
        System.arraycopy(streamIds, 0, all, pendingResets.length, streamIds.length);
        pendingResets = all;
        flushResets();
    }

    /** Asks usrsctp to reset the pending outgoing streams (RFC 6525 §4.1); kept for later if it is busy. */
    private void flushResets() {
        if (socket == null || pendingResets.length == 0) {
            return;
        }
        Memory srs = new Memory(8 + 2L * pendingResets.length); // struct sctp_reset_streams
        srs.clear();
        srs.setShort(4, (short) UsrsctpLibrary.SCTP_STREAM_RESET_OUTGOING);
        srs.setShort(6, (short) pendingResets.length);
        for (int i = 0; i < pendingResets.length; i++) {
            srs.setShort(8 + 2L * i, (short) pendingResets[i]);
        }
        if (lib.usrsctp_setsockopt(socket, UsrsctpLibrary.IPPROTO_SCTP, UsrsctpLibrary.SCTP_RESET_STREAMS, srs,
                (int) srs.size()) >= 0) {
            pendingResets = new int[0];
        }
        // else: usrsctp allows one outstanding request (EALREADY/EBUSY); retried on the next reset event
    }

    /** An upper bound: bytes accepted by usrsctp since it last reported "sender dry" (everything acknowledged). */
    @Override
    public long bufferedAmount() {
        return unacknowledgedBytes;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public boolean isEstablished() {
        return established && !closed;
    }

    /** SHUTDOWN (RFC 9260 §9.2): {@code onClosed} follows with the SHUTDOWN_COMP notification. */
    @Override
    public void close() {
        if (socket != null && !closed) {
            lib.usrsctp_shutdown(socket, UsrsctpLibrary.SHUT_WR);
        }
    }

    /** ABORT: closing the socket with SO_LINGER 0 makes usrsctp send one. */
    @Override
    public void abort(String reason) {
        boolean wasClosed = closed;
        closed = true;
        established = false;
        release();
        if (!wasClosed) {
            listener.onClosed(reason);
        }
    }

    /** Messages refused by {@link #send}: not established, too large, or the send buffer full (EAGAIN). */
    public long sendsRefused() {
        return sendsRefused;
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    // ---- callbacks from usrsctp threads (via UsrsctpRuntime): hand over to the owner, nothing else ----

    void outbound(byte[] packet) {
        post(() -> {
            packetsOut++;
            wireOut.accept(packet);
        });
    }

    void readable() {
        if (drainScheduled.compareAndSet(false, true)) {
            post(this::drain);
        }
    }

    private void post(Runnable task) {
        try {
            owner.execute(task);
        } catch (RejectedExecutionException e) {
            // the owner is gone: nothing left to deliver to
        }
    }

    // ---- on the owner ----

    private void drain() {
        drainScheduled.set(false);
        while (socket != null) {
            infoLength.setValue(UsrsctpLibrary.RCVINFO_SIZE);
            infoType.setValue(0);
            msgFlags.setValue(0);
            long n = lib.usrsctp_recvv(socket, recvBuffer, RECV_CHUNK, null, null, rcvInfo, infoLength, infoType,
                    msgFlags);
            if (n < 0) {
                return; // EAGAIN: nothing more for now
            }
            if (n == 0) {
                finish("end of stream");
                return;
            }
            append((int) n);
            int flags = msgFlags.getValue();
            if ((flags & UsrsctpLibrary.MSG_EOR) == 0) {
                continue; // more of the same message follows (partial delivery)
            }
            byte[] message = Arrays.copyOf(assembly, assemblyLength);
            assemblyLength = 0;
            if ((flags & UsrsctpLibrary.MSG_NOTIFICATION) != 0) {
                onNotification(UsrsctpNotification.parse(message, message.length));
            } else if (infoType.getValue() == UsrsctpLibrary.SCTP_RECVV_RCVINFO) {
                int streamId = rcvInfo.getShort(0) & 0xffff;
                int ppid = Integer.reverseBytes(rcvInfo.getInt(8)); // rcv_ppid is in network byte order
                listener.onMessage(streamId, ppid, message, 0, message.length);
            }
        }
    }

    private void append(int n) {
        if (assembly.length < assemblyLength + n) {
            assembly = Arrays.copyOf(assembly, Math.max(assemblyLength + n, assembly.length * 2));
        }
        recvBuffer.read(0, assembly, assemblyLength, n);
        assemblyLength += n;
    }

    private void onNotification(UsrsctpNotification n) {
        if (n == null) {
            return;
        }
        switch (n.type) {
            case UsrsctpNotification.ASSOC_CHANGE -> {
                switch (n.assocState) {
                    case UsrsctpNotification.COMM_UP -> {
                        if (!established && !closed) {
                            established = true;
                            listener.onEstablished();
                        }
                    }
                    case UsrsctpNotification.COMM_LOST -> finish("association lost");
                    case UsrsctpNotification.SHUTDOWN_COMP -> finish("shutdown complete");
                    case UsrsctpNotification.CANT_STR_ASSOC -> finish("cannot start association");
                    default -> { }
                }
            }
            case UsrsctpNotification.STREAM_RESET_EVENT -> {
                if (n.incomingStreamsReset() && n.streams.length > 0) {
                    listener.onStreamsReset(n.streams);
                }
                flushResets();
            }
            case UsrsctpNotification.SENDER_DRY_EVENT -> unacknowledgedBytes = 0;
            default -> { }
        }
    }

    /** The association ended: report once, then free the socket in a later task (not inside the drain loop). */
    private void finish(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        established = false;
        listener.onClosed(reason);
        post(this::release);
    }

    private void release() {
        if (released) {
            return;
        }
        released = true;
        if (socket != null) {
            lib.usrsctp_set_upcall(socket, null, null);
            lib.usrsctp_close(socket); // with SO_LINGER 0: ABORT if the association is still up
            socket = null;
        }
        lib.usrsctp_deregister_address(address);
        UsrsctpRuntime.unregister(token);
    }

    @Override
    public String toString() {
        return "UsrsctpTransport[" + Long.toHexString(token) + (established ? " established" : "")
                + (closed ? " closed" : "") + "]";
    }
}
