package org.janussfu.webrtc.sctp;

/**
 * The states of an SCTP association (RFC 9260 §4). CLOSED is both "not started" and "terminated"; the association
 * tells them apart. Immutable enum.
 */
public enum AssociationState {
    CLOSED,
    COOKIE_WAIT,
    COOKIE_ECHOED,
    ESTABLISHED,
    SHUTDOWN_PENDING,
    SHUTDOWN_SENT,
    SHUTDOWN_RECEIVED,
    SHUTDOWN_ACK_SENT;

    /** States in which DATA may be sent (new or retransmitted). */
    boolean canSendData() {
        return this == ESTABLISHED || this == SHUTDOWN_PENDING || this == SHUTDOWN_RECEIVED;
    }

    /** States in which DATA from the peer is accepted (§5.1: the peer may send DATA once it has our cookie). */
    boolean canReceiveData() {
        return this == COOKIE_ECHOED || this == ESTABLISHED || this == SHUTDOWN_PENDING || this == SHUTDOWN_SENT
                || this == SHUTDOWN_RECEIVED;
    }

    boolean shuttingDown() {
        return ordinal() >= SHUTDOWN_PENDING.ordinal();
    }
}
