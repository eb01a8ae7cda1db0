package org.janussfu.sdp;

import java.util.List;

/**
 * Finds the offerer's ICE and DTLS parameters for the transport the SFU will use: the m-line tagged by the offer's
 * BUNDLE group (the first mid of {@code a=group:BUNDLE} that the SFU accepted, RFC 8843 §7), else the first
 * accepted m-line, else the first m-line. Credentials, fingerprint and setup are read from that m-line and fall
 * back to session level (Firefox puts {@code a=fingerprint} there; RFC 8839 §5.4 and RFC 8122 §5 allow both).
 * A missing {@code a=setup} is read as {@code active}, the RFC 4145 §4 default. Stateless; any thread.
 */
final class TransportExtractor {
    private TransportExtractor() {
    }

    static RemoteTransport extract(SessionDescription offer, List<Integer> acceptedIndexes) throws SdpException {
        MediaDescription m = transportLine(offer, acceptedIndexes);
        String ufrag = m.iceUfrag() != null ? m.iceUfrag() : offer.iceUfrag();
        String pwd = m.icePwd() != null ? m.icePwd() : offer.icePwd();
        Fingerprint fp = m.fingerprint() != null ? m.fingerprint() : offer.fingerprint();
        SetupRole setup = m.setup() != null ? m.setup() : offer.setup();
        if (ufrag == null || ufrag.isEmpty() || pwd == null || pwd.isEmpty()) {
            throw new SdpException("offer has no ICE credentials (a=ice-ufrag / a=ice-pwd)");
        }
        if (fp == null) {
            throw new SdpException("offer has no DTLS fingerprint (a=fingerprint)");
        }
        return new RemoteTransport(ufrag, pwd, fp, setup == null ? SetupRole.ACTIVE : setup, m.candidates(),
                m.endOfCandidates(), m.mid());
    }

    private static MediaDescription transportLine(SessionDescription offer, List<Integer> acceptedIndexes) {
        List<MediaDescription> media = offer.media();
        for (String mid : offer.bundleMids()) {
            for (int i : acceptedIndexes) {
                if (mid.equals(media.get(i).mid())) {
                    return media.get(i);
                }
            }
        }
        return acceptedIndexes.isEmpty() ? media.get(0) : media.get(acceptedIndexes.get(0));
    }
}
