package org.janussfu.sfu;

import org.janussfu.sdp.CodecPolicy;
import org.janussfu.sdp.PublisherAnswer;
import org.janussfu.sdp.SdpException;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SdpWriter;
import org.janussfu.sdp.SfuSdp;

/**
 * The plugin's side of a publisher negotiation (sfu-protocol.md §6.1, §6.2): from a client's offer, the answer
 * template (recvonly Opus and video, data accepted, other m-lines rejected) and the subscriber offer template
 * (audio, video, application, sendonly, payload types following the publisher). The core adds ICE, DTLS and
 * per-handle SSRCs to both. Stateless apart from the codec policy; runs on the plugin's context.
 */
final class PublisherNegotiator {
    private final CodecPolicy policy;

    PublisherNegotiator(CodecPolicy policy) {
        this.policy = policy;
    }

    record Result(String answer, String subscriberOffer) {
    }

    /** An undecodable offer fails with the original's parse text (§1.2). */
    Result negotiate(String offerSdp) throws SfuError {
        try {
            PublisherAnswer a = SfuSdp.publisherAnswer(SdpParser.parse(offerSdp), policy);
            return new Result(SdpWriter.write(a.answer()), SdpWriter.write(SfuSdp.subscriberOffer(a.negotiated(), policy)));
        } catch (SdpException e) {
            throw SfuError.parse();
        }
    }
}
