package org.janussfu.sdp;

import java.util.Objects;

/**
 * The result of {@link SfuSdp#publisherAnswer}: the answer template (media choices only; {@link JsepMerge} adds the
 * SFU's ICE and DTLS parameters), what was negotiated, and the publisher's transport parameters for the media plane.
 * Immutable value; any thread.
 */
public record PublisherAnswer(SessionDescription answer, NegotiatedMedia negotiated, RemoteTransport remote) {

    public PublisherAnswer {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(negotiated, "negotiated");
        Objects.requireNonNull(remote, "remote");
    }
}
