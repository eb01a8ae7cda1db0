package org.janussfu.webrtc.usrsctp;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The process-wide usrsctp stack for tests: loads {@code libusrsctp.so.2} through JNA and calls
 * {@code usrsctp_init} exactly once (class initialisation), with no UDP encapsulation and one {@code conn_output}
 * callback for every AF_CONN association. usrsctp identifies an association's lower transport by an opaque pointer
 * (the {@code sconn_addr}); here it is a token from {@link #register}, mapped back to its {@link UsrsctpTransport}.
 * The two callbacks run on usrsctp's threads (its timer thread) or on whichever thread is inside a usrsctp call; they
 * only copy and hand over to the transport, which marshals onto its owner. Never {@code usrsctp_finish}: the stack
 * lives as long as the JVM.
 */
final class UsrsctpRuntime {

    private static final ConcurrentHashMap<Long, UsrsctpTransport> TRANSPORTS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_TOKEN = new AtomicLong(0x5c7b_0000L);

    /** Packets usrsctp wants sent on transport {@code addr}: copied, then posted to that transport's owner. */
    private static final UsrsctpLibrary.ConnOutput OUTPUT = (addr, buffer, length, tos, setDf) -> {
        try {
            UsrsctpTransport t = TRANSPORTS.get(Pointer.nativeValue(addr));
            if (t == null || length <= 0 || length > Integer.MAX_VALUE) {
                return -1;
            }
            t.outbound(buffer.getByteArray(0, (int) length));
            return 0;
        } catch (Throwable e) { // never let an exception unwind into C
            return -1;
        }
    };

    /** The socket became readable (or writable): the transport schedules one drain on its owner. */
    private static final UsrsctpLibrary.Upcall UPCALL = (socket, arg, flags) -> {
        try {
            UsrsctpTransport t = TRANSPORTS.get(Pointer.nativeValue(arg));
            if (t != null) {
                t.readable();
            }
        } catch (Throwable ignored) { // never let an exception unwind into C
        }
    };

    private static final UsrsctpLibrary LIBRARY;
    private static final String LOAD_ERROR;

    static {
        UsrsctpLibrary lib = null;
        String error = null;
        try {
            lib = Native.load("libusrsctp.so.2", UsrsctpLibrary.class);
            // usrsctp's timer thread calls back often: keep it attached, as a daemon, instead of re-attaching.
            CallbackThreadInitializer keepAttached = new CallbackThreadInitializer(true, false, "usrsctp-callback");
            Native.setCallbackThreadInitializer(OUTPUT, keepAttached);
            Native.setCallbackThreadInitializer(UPCALL, keepAttached);
            lib.usrsctp_init((short) 0, OUTPUT, null);
            lib.usrsctp_sysctl_set_sctp_ecn_enable(0);      // as Janus' sctp.c
            lib.usrsctp_sysctl_set_sctp_pr_enable(1);       // PR-SCTP / FORWARD-TSN (RFC 3758)
            lib.usrsctp_sysctl_set_sctp_reconfig_enable(1); // RE-CONFIG stream reset (RFC 6525)
        } catch (Throwable e) {
            lib = null;
            String why = e.toString(); // JNA's message lists the whole class path: keep the start
            error = why.length() > 200 ? why.substring(0, 200) + "…" : why;
        }
        LIBRARY = lib;
        LOAD_ERROR = error;
    }

    private UsrsctpRuntime() {
    }

    /** True when the library loaded and usrsctp is initialised. */
    static boolean available() {
        return LIBRARY != null;
    }

    /** Why the library could not be used, or null. */
    static String loadError() {
        return LOAD_ERROR;
    }

    static UsrsctpLibrary library() {
        if (LIBRARY == null) {
            throw new IllegalStateException("libusrsctp.so.2 not available: " + LOAD_ERROR);
        }
        return LIBRARY;
    }

    static UsrsctpLibrary.Upcall upcall() {
        return UPCALL;
    }

    /** A fresh sconn_addr token for a transport; usrsctp will call back with it. */
    static long register(UsrsctpTransport transport) {
        long token = NEXT_TOKEN.incrementAndGet();
        TRANSPORTS.put(token, transport);
        return token;
    }

    static void unregister(long token) {
        TRANSPORTS.remove(token);
    }
}
