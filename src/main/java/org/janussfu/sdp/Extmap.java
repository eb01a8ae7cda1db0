package org.janussfu.sdp;

import java.util.Objects;

/**
 * {@code a=extmap:<id>[/<direction>] <URI> [<extension attributes>]} (RFC 8285): an RTP header extension
 * mapping. Ids are 1..14 for one-byte and up to 255 for two-byte headers (RFC 8285 §5). Immutable value; any
 * thread.
 */
public record Extmap(int id, String direction, String uri, String extensionAttributes) {

    public Extmap {
        Objects.requireNonNull(uri, "uri");
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("extmap id " + id);
        }
    }

    public static Extmap parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("a=extmap without value");
        }
        String[] parts = SdpTokens.splitFirst(attributeValue.strip());
        String idText = parts[0];
        String direction = null;
        int slash = idText.indexOf('/');
        if (slash >= 0) {
            direction = idText.substring(slash + 1);
            idText = idText.substring(0, slash);
        }
        int id = SdpTokens.parseInt(idText, 255, "extmap id");
        if (id < 1) {
            throw new SdpException("extmap id 0");
        }
        if (parts[1] == null) {
            throw new SdpException("a=extmap without URI");
        }
        String[] rest = SdpTokens.splitFirst(parts[1]);
        return new Extmap(id, direction, rest[0], rest[1]);
    }

    @Override
    public String toString() {
        return id + (direction == null ? "" : "/" + direction) + " " + uri
                + (extensionAttributes == null ? "" : " " + extensionAttributes);
    }
}
