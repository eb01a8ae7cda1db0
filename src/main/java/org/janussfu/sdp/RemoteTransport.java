package org.janussfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The peer's ICE and DTLS parameters extracted from its offer, for the media plane: ICE credentials (RFC 8839
 * §5.4), certificate fingerprint (RFC 8122 §5), DTLS setup role (RFC 8842 §5), and the candidates (raw
 * {@code a=candidate} values, without the {@code candidate:} prefix, RFC 8839 §5.1) of the m-line that carries the
 * BUNDLE transport (RFC 8843 §7: the tagged m-line). Immutable value; any thread.
 *
 * @param bundleMid the mid of the m-line whose transport is used, or null when the offer has no mids
 */
public record RemoteTransport(String ufrag, String pwd, Fingerprint fingerprint, SetupRole setup,
                              List<String> candidates, boolean endOfCandidates, String bundleMid) {

    public RemoteTransport {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(setup, "setup");
        candidates = List.copyOf(candidates);
    }

    /**
     * The transport parameters of any remote description (an offer, or the answer to our offer): the BUNDLE-tagged,
     * else the first, m-line that is not rejected. Throws when credentials or the fingerprint are missing.
     */
    public static RemoteTransport from(SessionDescription sd) throws SdpException {
        java.util.List<Integer> live = new java.util.ArrayList<>();
        for (int i = 0; i < sd.media().size(); i++) {
            if (!sd.media().get(i).isRejected()) {
                live.add(i);
            }
        }
        if (sd.media().isEmpty()) {
            throw new SdpException("no m= lines");
        }
        return TransportExtractor.extract(sd, live);
    }

    /**
     * Whether this offer restarts ICE relative to the credentials of the previous one: a changed ufrag or pwd means
     * a restart (RFC 8839 §4.4.1.1.1, RFC 8445 §9). With no previous offer ({@code previousUfrag == null}) it is
     * not a restart but the first negotiation.
     */
    public boolean isIceRestart(String previousUfrag, String previousPwd) {
        if (previousUfrag == null) {
            return false;
        }
        return !previousUfrag.equals(ufrag) || (previousPwd != null && !previousPwd.equals(pwd));
    }

    /**
     * The DTLS role the SFU takes when answering: {@code active} for an {@code actpass} offer (as Janus does,
     * sfu-protocol §7.3), otherwise the opposite of the peer's role (RFC 4145 §4).
     */
    public SetupRole answerRole() {
        return switch (setup) {
            case ACTPASS, PASSIVE -> SetupRole.ACTIVE;
            case ACTIVE -> SetupRole.PASSIVE;
            case HOLDCONN -> SetupRole.HOLDCONN;
        };
    }
}
