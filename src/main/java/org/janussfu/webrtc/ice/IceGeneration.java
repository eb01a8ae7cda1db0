package org.janussfu.webrtc.ice;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One ICE agent of an {@link IceTransport}: one ice4j {@link Agent} with a single stream and a single component
 * (BUNDLE + rtcp-mux), its local credentials, and the remote credentials and candidates meant for it. An ICE restart
 * (RFC 8445 §9) creates a new generation, because ice4j fixes an agent's ufrag and password at construction. Owned by
 * its transport, which calls the control methods under its own lock; ice4j's threads only call
 * {@link #propertyChange}, and the thread reading the endpoint ({@link UdpReader} or {@code MediaLoop}) calls
 * {@link #deliver} — neither takes a lock.
 *
 * <p><b>Sockets.</b> The agent's host candidates sit on our {@link UdpEndpoint}s (the shared ports of {@link
 * IceHarvesters}, or, in client and port-range mode, one endpoint this generation owns) through {@link IceSocket}s,
 * which hold no file descriptor; freeing the generation closes them (and its own endpoint) at once.
 *
 * <p><b>Media route.</b> When the generation connects, {@link #fixMediaRoute} records where media goes on our own
 * send path (decision 0008): the send channels on the selected pair's local address and the pair's remote address,
 * as one immutable {@link Route} in a volatile field, so senders need no lock. ice4j by itself keeps the first
 * nominated pair for good; a controlling peer that nominates another valid pair later (Chromium does when a better
 * pair becomes writable, decision 0016) makes {@link NominationFollowingAgent} select that pair in ice4j and
 * {@link #followNomination} re-route media to it — otherwise the peer's checks on its new pair go unanswered once
 * ice4j has terminated, and our media keeps going to the pair the peer has left.
 */
final class IceGeneration implements PropertyChangeListener {
    final int number;
    final Agent agent;
    final Component component;
    private final IceMediaStream stream;
    private final IceTransport owner;
    private final IceEndpointHarvester harvester;
    /** Client and port-range mode: this generation's own socket; null on the shared ports. */
    private final UdpEndpoint own;

    // Guarded by the owner's lock.
    boolean started;
    boolean connected;
    volatile boolean freed;
    long connectedAtMillis;
    private String remoteUfrag;
    private String remotePassword;
    /** Our consent checks on the selected pair, from connect (see {@link #startConsent}); null before. */
    private volatile ConsentChecks consent;
    private int signalled;

    /** Where media goes on our own send path: these channels, to that address. */
    record Route(UdpSendChannels channels, InetSocketAddress target) {
    }

    // Written by fixMediaRoute before the generation is published as active, and by followNomination (ice4j's
    // thread) when the peer nominates another pair; null = ice4j sends media.
    private volatile Route route;
    /** Server mode: the shared endpoints' send channels; null in client and port-range mode. */
    private final IceHarvesters routeHarvesters;
    /** When the peer last moved the selected pair (consent is counted from there for the new pair), or 0. */
    volatile long switchedAtMillis;

    /**
     * Creates the agent and gathers its candidates: on the shared endpoints of {@code harvesters} (server mode), or
     * on a socket of its own on the first bind address (client mode, and port-range mode when the owner has a port
     * range), when {@code harvesters} is null.
     */
    IceGeneration(IceTransport owner, int number, IceHarvesters harvesters, IceConfig config, boolean controlling) {
        this.owner = owner;
        this.number = number;
        NominationFollowingAgent a = new NominationFollowingAgent(this::followNomination);
        UdpEndpoint e = null;
        IceEndpointHarvester h = null;
        try {
            a.setUseDynamicPorts(false);
            a.setControlling(controlling);
            a.setPerformConsentFreshness(false); // ours instead (ConsentChecks): ice4j's runner is off anyway
            List<UdpEndpoint> endpoints;
            if (harvesters != null) {
                endpoints = harvesters.endpoints();
            } else {
                // Port-range mode is server mode (buffers are lent to the listener); client mode reuses them.
                e = UdpEndpoint.dedicated(config.bindAddresses().get(0), owner.portMin(), owner.portMax(),
                        owner.portMin() > 0, UdpReader.next());
                owner.endpointOpened(e);
                endpoints = List.of(e);
            }
            h = new IceEndpointHarvester(this, endpoints, config.maxRemoteAddresses());
            a.addCandidateHarvester(h);
            stream = a.createMediaStream("bundle");
            component = a.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
            if (component.getLocalCandidateCount() == 0) {
                throw new IllegalStateException("ICE gathered no local candidate");
            }
        } catch (IOException | RuntimeException ex) {
            a.free();
            if (h != null) {
                h.close();
            }
            if (e != null) {
                e.close();
            }
            throw ex instanceof IOException ? new IllegalStateException("ICE agent setup failed", ex)
                    : (RuntimeException) ex;
        }
        agent = a;
        routeHarvesters = harvesters;
        harvester = h;
        own = e;
        agent.addStateChangeListener(this);
    }

    /** Remote candidates added from signalling so far (the transport caps them at the configured maximum). */
    int signalledRemotes() {
        return signalled;
    }

    String remoteUfrag() {
        return remoteUfrag;
    }

    void setRemoteCredentials(String ufrag, String password) {
        remoteUfrag = ufrag;
        remotePassword = password;
        stream.setRemoteUfrag(ufrag);
        stream.setRemotePassword(password);
        harvester.setRemotePassword(password);
    }

    /** Adds a parsed remote candidate, before or after the checks started; {@code false} if it is a duplicate. */
    boolean addRemote(IceCandidates.Remote r) {
        TransportAddress address = new TransportAddress(r.address(), r.port(), Transport.UDP);
        if (component.findRemoteCandidate(address) != null) {
            return false;
        }
        RemoteCandidate rc = new RemoteCandidate(address, component, CandidateType.parse(r.type()),
                r.foundation(), r.priority(), null, r.ufrag());
        signalled++;
        if (started) {
            // RFC 8838 §10: a trickled candidate pairs with the local ones and its checks start at once.
            component.addUpdateRemoteCandidates(rc);
            component.updateRemoteCandidates();
        } else {
            component.addRemoteCandidate(rc);
        }
        return true;
    }

    void start() {
        started = true;
        agent.startConnectivityEstablishment();
    }

    /** Sends on the selected pair (ice4j's {@code Component.send}); false on any I/O error. */
    boolean send(byte[] buf, int off, int len) {
        try {
            component.send(buf, off, len);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sets the media route from the pair selected now (owner's lock, before the generation becomes active; again on a
     * later nomination, see {@link #followNomination}): our send
     * channels for its local address — the shared ones of the harvesters, or this generation's own in client and
     * port-range mode — and its remote address. Leaves ice4j's path when there are none.
     */
    synchronized void fixMediaRoute() {
        // Synchronized: the transport (at connect) and ice4j's thread (on a later nomination) may both call it, and
        // the last call must read the latest selection. Never per packet.
        CandidatePair pair = component.getSelectedPair();
        route = pair == null ? null : routeFor(pair);
    }

    /** Our channels for {@code pair}'s local address, to its remote address; null when ice4j must send. */
    private Route routeFor(CandidatePair pair) {
        LocalCandidate local = pair.getLocalCandidate();
        if (local.getBase() instanceof LocalCandidate) {
            local = (LocalCandidate) local.getBase();
        }
        IceHarvesters harvesters = routeHarvesters;
        UdpSendChannels ch = own != null ? own.mediaChannels()
                : harvesters != null ? harvesters.sendChannels(local.getTransportAddress()) : null;
        if (ch == null) {
            return null;
        }
        TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
        return new Route(ch, new InetSocketAddress(remote.getAddress(), remote.getPort()));
    }

    /**
     * ice4j's thread, right after {@link NominationFollowingAgent} made {@code pair} the selected one (the peer
     * nominated it after another, RFC 8445 §8.1.1): media follows, and the owner hears of it.
     */
    private void followNomination(CandidatePair pair) {
        switchedAtMillis = System.currentTimeMillis();
        fixMediaRoute();
        owner.onRenominated(this, describe(pair));
    }

    /**
     * Whether {@code local} ↔ {@code remote} is the pair media goes on now (see {@link #fixMediaRoute}): a consent
     * check on it changes nothing in ice4j (the pair succeeded and is nominated, RFC 8445 §7.3.1.4-5), so the endpoint
     * answers it itself. Any thread; reads the volatile route.
     */
    boolean isMediaPair(InetSocketAddress local, InetSocketAddress remote) {
        Route r = route;
        return r != null && r.target().equals(remote) && r.channels().localAddress().equals(local);
    }

    /** Whether media goes through our own send channels (see {@link #fixMediaRoute}). */
    boolean ownMediaRoute() {
        return route != null;
    }

    /**
     * Sends one media datagram: through our channel to the fixed remote address, or ice4j's {@code Component.send}
     * when this generation has no route of ours. False when not sent (counted by the channels).
     */
    boolean sendMedia(byte[] buf, int off, int len) {
        Route r = route;
        return r != null ? r.channels.send(buf, off, len, r.target) : send(buf, off, len);
    }

    /** The time of the last consent response on the selected pair (RFC 7675): ours, or ice4j's checks', or -1. */
    long lastConsentMillis() {
        CandidatePair pair = component.getSelectedPair();
        ConsentChecks c = consent;
        return Math.max(pair == null ? -1 : pair.getConsentFreshness(), c == null ? -1 : c.lastResponseMillis());
    }

    /**
     * Starts our consent checks on the selected pair (the transport, at connect): USERNAME from both ufrags, the
     * local candidate's priority, our role and tie-breaker; {@code freshness} false: keepalive indications only.
     */
    void startConsent(boolean freshness, long consentTimeoutMillis, long nowMillis) {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null || remoteUfrag == null) {
            return;
        }
        consent = new ConsentChecks(remoteUfrag, agent.getLocalUfrag(), pair.getLocalCandidate().getPriority(),
                agent.isControlling(), agent.getTieBreaker(), freshness ? StunWire.key(remotePassword) : null,
                consentTimeoutMillis, nowMillis);
    }

    /** The time our last consent check was answered, or -1 (tests: the checks ice4j's runner would have sent). */
    long ownConsentMillis() {
        ConsentChecks c = consent;
        return c == null ? -1 : c.lastResponseMillis();
    }

    /** {@code ice-events}: sends our consent check or keepalive when one is due (on the media route). */
    void sendConsentIfDue(long nowMillis) {
        ConsentChecks c = consent;
        byte[] m = c == null ? null : c.due(nowMillis, connectedAtMillis);
        if (m != null) {
            sendMedia(m, 0, m.length);
        }
    }

    /** The reading thread: whether this (integrity-checked) Binding success response answers one of our checks. */
    boolean consentAnswered(byte[] b, int off) {
        ConsentChecks c = consent;
        return c != null && c.answered(b, off, System.currentTimeMillis());
    }

    String describeSelectedPair() {
        CandidatePair pair = component.getSelectedPair();
        return pair == null ? "no selected pair" : describe(pair);
    }

    private static String describe(CandidatePair pair) {
        return pair.getLocalCandidate().getTransportAddress() + " (" + pair.getLocalCandidate().getType() + ") <-> "
                + pair.getRemoteCandidate().getTransportAddress() + " (" + pair.getRemoteCandidate().getType() + ")";
    }

    /**
     * The local candidates as SDP attribute values (RFC 8839 §5.1), with the configured advertised address in
     * place of the bound one (and, if so configured, the bound one too at one lower local preference).
     */
    List<String> localCandidates(IceConfig config) {
        List<String> out = new ArrayList<>();
        InetAddress advertised = config.advertisedAddress();
        int index = 0;
        for (LocalCandidate c : component.getLocalCandidates()) {
            index++;
            TransportAddress ta = c.getTransportAddress();
            String foundation = c.getFoundation() != null ? c.getFoundation() : Integer.toString(index);
            String type = sdpType(c.getType());
            if (type == null) {
                continue;
            }
            if (type.equals("host")) {
                boolean bound = !ta.getAddress().isAnyLocalAddress();
                if (advertised != null) {
                    out.add(IceCandidates.format(foundation, c.getPriority(), advertised, ta.getPort(), type,
                            null, 0));
                }
                if (bound && (advertised == null || config.keepHostCandidates())) {
                    long priority = advertised == null ? c.getPriority() : Math.max(1, c.getPriority() - 256);
                    String f = advertised == null ? foundation : "p" + foundation;
                    out.add(IceCandidates.format(f, priority, ta.getAddress(), ta.getPort(), type, null, 0));
                }
            } else {
                TransportAddress related = c.getRelatedAddress();
                boolean hide = advertised != null && !config.keepHostCandidates();
                InetAddress raddr = related == null ? null
                        : hide ? IceCandidates.parseLiteral("0.0.0.0") : related.getAddress();
                out.add(IceCandidates.format(foundation, c.getPriority(), ta.getAddress(), ta.getPort(), type,
                        raddr, related == null || hide ? 0 : related.getPort()));
            }
        }
        return out;
    }

    private static String sdpType(CandidateType t) {
        switch (t) {
            case HOST_CANDIDATE:
                return "host";
            case SERVER_REFLEXIVE_CANDIDATE:
                return "srflx";
            case PEER_REFLEXIVE_CANDIDATE:
                return "prflx";
            case RELAYED_CANDIDATE:
                return "relay";
            default:
                return null;
        }
    }

    /** Stops the checks, frees the candidates, our sockets and (client, port-range) the own endpoint. Idempotent. */
    void free() {
        if (freed) {
            return;
        }
        freed = true;
        agent.removeStateChangeListener(this);
        agent.free();
        harvester.close();
        if (own != null) {
            own.close();
        }
    }

    /** Remote addresses this agent holds on our endpoints (bounded by the configured cap per endpoint). */
    int remoteAddresses() {
        return harvester.remoteCount();
    }

    /** The own endpoint (client and port-range mode), or null. */
    UdpEndpoint ownEndpoint() {
        return own;
    }

    /** ice4j agent state change, on an ice4j thread: only handed to the transport's event thread. */
    @Override
    public void propertyChange(PropertyChangeEvent event) {
        Object state = event.getNewValue();
        if (state instanceof IceProcessingState) {
            owner.onAgentState(this, (IceProcessingState) state);
        }
    }

    /**
     * One non-STUN datagram from a validated address, on the thread that read it (a {@link UdpReader} thread or the
     * engine's {@code MediaLoop}). False if the generation or the
     * transport is gone (the caller still owns {@code loan}).
     */
    boolean deliver(byte[] buf, int off, int len, Object loan) {
        return !freed && owner.deliver(buf, off, len, loan);
    }

    void listenerThrew(RuntimeException e) {
        owner.listenerThrew(e);
    }
}
