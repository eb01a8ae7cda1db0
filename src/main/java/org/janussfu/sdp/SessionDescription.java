package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whole session description (RFC 8866 §5): the {@code o=} {@link Origin}, the {@code s=} session name, the other
 * session-level lines ({@code i= u= e= p= c= b= t= r= z= k=}) as {@link SdpField}s, every session-level {@code a=}
 * line in order, and the media sections. As in {@link MediaDescription}, the attribute list is the source of
 * truth and the typed accessors (BUNDLE group, msid-semantic, ICE and DTLS parameters, extmap-allow-mixed) are views.
 * {@code v=} is always 0 (RFC 8866 §5.1) and not stored. Immutable value; any thread.
 */
public record SessionDescription(Origin origin, String sessionName, List<SdpField> fields,
                                 List<Attribute> attributes, List<MediaDescription> media) {

    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sessionName, "sessionName");
        fields = List.copyOf(fields);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    public boolean hasAttribute(String name) {
        return Attributes.has(attributes, name);
    }

    public String attribute(String name) {
        return Attributes.first(attributes, name);
    }

    public List<String> attributeValues(String name) {
        return Attributes.all(attributes, name);
    }

    /** The session-level {@code c=} value, or null. */
    public String connection() {
        return SdpField.first(fields, 'c');
    }

    /**
     * The identification tags of the first {@code a=group:<semantics>} (RFC 5888 §5), or an empty list. For
     * {@code BUNDLE} (RFC 8843 §7) the first tag is the offerer/answerer tagged m-line.
     */
    public List<String> group(String semantics) {
        for (String g : attributeValues("group")) {
            List<String> t = SdpTokens.split(g);
            if (!t.isEmpty() && t.get(0).equalsIgnoreCase(semantics)) {
                return List.copyOf(t.subList(1, t.size()));
            }
        }
        return List.of();
    }

    public List<String> bundleMids() {
        return group("BUNDLE");
    }

    /** {@code a=msid-semantic} value as written (e.g. {@code " WMS *"}), or null. */
    public String msidSemantic() {
        return attribute("msid-semantic");
    }

    public String iceUfrag() {
        String v = attribute("ice-ufrag");
        return v == null ? null : v.strip();
    }

    public String icePwd() {
        String v = attribute("ice-pwd");
        return v == null ? null : v.strip();
    }

    public String iceOptions() {
        String v = attribute("ice-options");
        return v == null ? null : v.strip();
    }

    /** Session-level fingerprint (Firefox puts it here), or null. */
    public Fingerprint fingerprint() {
        return Attributes.firstTyped(attributes, "fingerprint", Fingerprint::parse);
    }

    public SetupRole setup() {
        return Attributes.firstTyped(attributes, "setup", SetupRole::parse);
    }

    /** {@code a=extmap-allow-mixed} (RFC 8285 §6). */
    public boolean extmapAllowMixed() {
        return hasAttribute("extmap-allow-mixed");
    }

    /** The media section with this mid, or null. */
    public MediaDescription mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (mid.equals(m.mid())) {
                return m;
            }
        }
        return null;
    }

    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(newOrigin, sessionName, fields, attributes, media);
    }

    public SessionDescription withSessionName(String name) {
        return new SessionDescription(origin, name, fields, attributes, media);
    }

    public SessionDescription withFields(List<SdpField> newFields) {
        return new SessionDescription(origin, sessionName, newFields, attributes, media);
    }

    public SessionDescription withAttributes(List<Attribute> newAttributes) {
        return new SessionDescription(origin, sessionName, fields, newAttributes, media);
    }

    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(origin, sessionName, fields, attributes, newMedia);
    }

    /** Without the session-level {@code c=} line (Janus core drops it; every m-line carries its own). */
    public SessionDescription withoutConnection() {
        List<SdpField> kept = new ArrayList<>();
        for (SdpField f : fields) {
            if (f.type() != 'c') {
                kept.add(f);
            }
        }
        return withFields(kept);
    }
}
