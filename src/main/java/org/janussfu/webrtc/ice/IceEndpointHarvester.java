package org.janussfu.webrtc.ice;

import org.ice4j.Transport;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceUdpSocketWrapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Gives one agent ({@link IceGeneration}) a host candidate on each of our {@link UdpEndpoint}s — the shared ports,
 * or the generation's own socket — backed by an {@link IceSocket} instead of a socket of ice4j's: ice4j keeps no
 * socket, no file descriptor and no thread per remote address, and learns a remote address only from a STUN message
 * the endpoint authenticated. One instance per agent, owned by its generation; ice4j calls {@link #harvest} on the
 * thread creating the component, the generation calls the rest under its transport's lock.
 */
final class IceEndpointHarvester implements CandidateHarvester {
    private final IceGeneration generation;
    private final List<UdpEndpoint> endpoints;
    private final int maxRemotes;
    private final HarvestStatistics statistics = new HarvestStatistics();
    private final List<IceSocket> sockets = new ArrayList<>(2);

    IceEndpointHarvester(IceGeneration generation, List<UdpEndpoint> endpoints, int maxRemotes) {
        this.generation = generation;
        this.endpoints = endpoints;
        this.maxRemotes = maxRemotes;
    }

    @Override
    public synchronized Collection<LocalCandidate> harvest(Component component) {
        Agent agent = component.getParentStream().getParentAgent();
        List<LocalCandidate> out = new ArrayList<>(endpoints.size());
        for (UdpEndpoint e : endpoints) {
            if (e.isClosed()) {
                continue;
            }
            IceSocket s = new IceSocket(e, generation, agent, maxRemotes);
            HostCandidate c = new HostCandidate(new IceUdpSocketWrapper(s), component, Transport.UDP);
            component.addLocalCandidate(c);
            StunStackPush.attach(c.getStunStack(), new IceUdpSocketWrapper(s));
            sockets.add(s);
            e.register(s);
            out.add(c);
        }
        return out;
    }

    /** The peer's password for every socket (it keys the responses to our checks). */
    synchronized void setRemotePassword(String password) {
        for (IceSocket s : sockets) {
            s.setRemotePassword(password);
        }
    }

    /** Remote addresses held for this agent over all endpoints (validated or awaiting a response). */
    synchronized int remoteCount() {
        int n = 0;
        for (IceSocket s : sockets) {
            n += s.remotes().size();
        }
        return n;
    }

    /** Closes every socket (ice4j normally did when the agent was freed). Idempotent. */
    synchronized void close() {
        for (IceSocket s : sockets) {
            s.close();
        }
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }
}
