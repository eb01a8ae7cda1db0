package org.janussfu.webrtc.usrsctp;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The JNA view of Debian's {@code libusrsctp.so.2} (usrsctp 0.9.5, header {@code usrsctp.h} of libusrsctp-dev):
 * just the calls and constants the test peer needs. Test scope only (decision 1 of shared/README: the product's SCTP
 * is pure Java). Linux x86_64 ABI: {@code size_t}/{@code ssize_t} are Java {@code long}, {@code socklen_t} is
 * {@code int}; struct layouts are written by hand in {@link UsrsctpTransport} (offsets checked against the header
 * with a C program). Loaded and initialised once by {@link UsrsctpRuntime}; the calls are thread-safe in usrsctp
 * itself, and our callers use them from the owning transport's executor.
 */
interface UsrsctpLibrary extends Library {

    int AF_CONN = 123;
    int SOCK_STREAM = 1;
    int IPPROTO_SCTP = 132;
    /** Linux values: usrsctp passes the host's SOL_SOCKET options through its own socket layer. */
    int SOL_SOCKET = 1;
    int SO_LINGER = 13;
    int SO_SNDBUF = 7;
    int SO_RCVBUF = 8;
    int SHUT_WR = 1;
    int EAGAIN = 11;
    int EALREADY = 114;
    int EINPROGRESS = 115;
    int MSG_EOR = 0x80;
    int MSG_NOTIFICATION = 0x2000;

    int SCTP_NODELAY = 0x04;
    int SCTP_INITMSG = 0x03;
    int SCTP_EVENT = 0x1e;
    int SCTP_RECVRCVINFO = 0x1f;
    int SCTP_ENABLE_STREAM_RESET = 0x900;
    int SCTP_RESET_STREAMS = 0x901;
    int SCTP_ALL_ASSOC = 2;
    int SCTP_ENABLE_RESET_STREAM_REQ = 0x1;
    int SCTP_ENABLE_CHANGE_ASSOC_REQ = 0x4;
    int SCTP_STREAM_RESET_OUTGOING = 0x2;

    int SCTP_SENDV_SPA = 4;
    int SCTP_SEND_SNDINFO_VALID = 0x1;
    int SCTP_SEND_PRINFO_VALID = 0x2;
    int SCTP_RECVV_RCVINFO = 1;
    int SCTP_UNORDERED = 0x0400;
    int SCTP_EOR = 0x2000;
    int SCTP_PR_SCTP_TTL = 0x1;
    int SCTP_PR_SCTP_RTX = 0x3;

    /** {@code struct sockaddr_conn}: u16 family, u16 port (network order), 4 pad bytes, the transport pointer. */
    int SOCKADDR_CONN_SIZE = 16;
    /** {@code struct sctp_sendv_spa}: u32 flags, sndinfo at 4 (sid, flags, ppid, context, assoc), prinfo at 20. */
    int SENDV_SPA_SIZE = 32;
    /** {@code struct sctp_rcvinfo}: sid 0, ssn 2, flags 4, ppid 8, tsn 12, cumtsn 16, context 20, assoc 24. */
    int RCVINFO_SIZE = 28;

    /** {@code int (*conn_output)(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df)}. */
    interface ConnOutput extends Callback {
        int invoke(Pointer addr, Pointer buffer, long length, byte tos, byte setDf);
    }

    /** {@code void (*upcall)(struct socket *, void *arg, int flags)}: the socket has something to read or write. */
    interface Upcall extends Callback {
        void invoke(Pointer socket, Pointer arg, int flags);
    }

    void usrsctp_init(short udpPort, ConnOutput output, Pointer debugPrintf);

    int usrsctp_sysctl_set_sctp_ecn_enable(int value);

    int usrsctp_sysctl_set_sctp_pr_enable(int value);

    int usrsctp_sysctl_set_sctp_reconfig_enable(int value);

    void usrsctp_register_address(Pointer addr);

    void usrsctp_deregister_address(Pointer addr);

    Pointer usrsctp_socket(int domain, int type, int protocol, Pointer receiveCallback, Pointer sendCallback,
                           int sbThreshold, Pointer ulpInfo);

    int usrsctp_set_non_blocking(Pointer socket, int onoff);

    int usrsctp_set_upcall(Pointer socket, Upcall upcall, Pointer arg);

    int usrsctp_setsockopt(Pointer socket, int level, int name, Pointer value, int length);

    int usrsctp_bind(Pointer socket, Pointer name, int length);

    int usrsctp_connect(Pointer socket, Pointer name, int length);

    long usrsctp_sendv(Pointer socket, byte[] data, long length, Pointer to, int addrCount, Pointer info,
                       int infoLength, int infoType, int flags);

    long usrsctp_recvv(Pointer socket, Pointer buffer, long length, Pointer from, IntByReference fromLength,
                       Pointer info, IntByReference infoLength, IntByReference infoType, IntByReference msgFlags);

    void usrsctp_conninput(Pointer addr, byte[] packet, long length, byte ecnBits);

    int usrsctp_shutdown(Pointer socket, int how);

    void usrsctp_close(Pointer socket);
}
