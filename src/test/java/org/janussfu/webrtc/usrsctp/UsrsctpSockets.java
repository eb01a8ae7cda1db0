package org.janussfu.webrtc.usrsctp;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Socket set-up for {@link UsrsctpTransport}: the options Janus' sctp.c sets on its AF_CONN sockets (non-blocking,
 * SO_LINGER 0, RE-CONFIG stream reset, NODELAY, event subscriptions, INIT stream counts) plus the upcall and
 * SCTP_RECVRCVINFO our non-blocking reader needs, and the {@code struct sockaddr_conn} builder. Stateless helpers;
 * called on the transport's owner.
 */
final class UsrsctpSockets {

    private UsrsctpSockets() {
    }

    /** Configures a fresh socket; {@code address} is the transport token, also the upcall argument. */
    static void configure(UsrsctpLibrary lib, Pointer socket, Pointer address, int streams, int bufferBytes) {
        check(lib.usrsctp_set_non_blocking(socket, 1), "set_non_blocking");
        check(lib.usrsctp_set_upcall(socket, UsrsctpRuntime.upcall(), address), "set_upcall");
        setInts(lib, socket, UsrsctpLibrary.SOL_SOCKET, UsrsctpLibrary.SO_LINGER, 1, 0); // close() aborts
        setInts(lib, socket, UsrsctpLibrary.SOL_SOCKET, UsrsctpLibrary.SO_SNDBUF, bufferBytes);
        setInts(lib, socket, UsrsctpLibrary.SOL_SOCKET, UsrsctpLibrary.SO_RCVBUF, bufferBytes);
        setInts(lib, socket, UsrsctpLibrary.IPPROTO_SCTP, UsrsctpLibrary.SCTP_ENABLE_STREAM_RESET,
                UsrsctpLibrary.SCTP_ALL_ASSOC,
                UsrsctpLibrary.SCTP_ENABLE_RESET_STREAM_REQ | UsrsctpLibrary.SCTP_ENABLE_CHANGE_ASSOC_REQ);
        setInts(lib, socket, UsrsctpLibrary.IPPROTO_SCTP, UsrsctpLibrary.SCTP_NODELAY, 1);
        setInts(lib, socket, UsrsctpLibrary.IPPROTO_SCTP, UsrsctpLibrary.SCTP_RECVRCVINFO, 1);
        for (int type : UsrsctpNotification.SUBSCRIBED) {
            Memory event = new Memory(8); // struct sctp_event: assoc_id u32, type u16, on u8
            event.clear();
            event.setInt(0, UsrsctpLibrary.SCTP_ALL_ASSOC);
            event.setShort(4, (short) type);
            event.setByte(6, (byte) 1);
            check(lib.usrsctp_setsockopt(socket, UsrsctpLibrary.IPPROTO_SCTP, UsrsctpLibrary.SCTP_EVENT, event, 8),
                    "SCTP_EVENT " + type);
        }
        Memory init = new Memory(8); // struct sctp_initmsg: ostreams, instreams, attempts, timeout (u16 each)
        init.clear();
        init.setShort(0, (short) streams);
        init.setShort(2, (short) streams);
        check(lib.usrsctp_setsockopt(socket, UsrsctpLibrary.IPPROTO_SCTP, UsrsctpLibrary.SCTP_INITMSG, init, 8),
                "SCTP_INITMSG");
    }

    /** {@code struct sockaddr_conn}: usrsctp identifies the lower transport by {@code address} (ours, both ends). */
    static Memory sockaddrConn(int port, Pointer address) {
        Memory m = new Memory(UsrsctpLibrary.SOCKADDR_CONN_SIZE);
        m.clear();
        m.setShort(0, (short) UsrsctpLibrary.AF_CONN);
        m.setByte(2, (byte) (port >>> 8)); // sconn_port in network byte order
        m.setByte(3, (byte) port);
        m.setPointer(8, address);
        return m;
    }

    static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException("usrsctp " + what + " failed, errno " + Native.getLastError());
        }
    }

    /** Sets an option made of 32-bit ints. */
    private static void setInts(UsrsctpLibrary lib, Pointer socket, int level, int name, int... values) {
        Memory m = new Memory(4L * values.length);
        for (int i = 0; i < values.length; i++) {
            m.setInt(4L * i, values[i]);
        }
        check(lib.usrsctp_setsockopt(socket, level, name, m, 4 * values.length), "setsockopt " + name);
    }
}
