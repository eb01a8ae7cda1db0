package org.janussfu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layering points one way (transport → core → sfu | webrtc → media → sdp, rtp): every main source file may name only the
 * packages its layer is allowed to see. Inside webrtc the same holds one level down: the composition in the package
 * itself (PeerConnection, MediaEngine, ...) sees every subpackage, and a subpackage sees only those below it
 * (datachannel → sctp, dtls; dtls → srtp), never the top-level webrtc classes. Reads the sources as text, so any
 * reference — import or fully qualified name — counts.
 */
class LayeringTest {
    private static final Path ROOT = Path.of("src/main/java/org/janussfu");
    private static final Pattern REF = Pattern.compile("org\\.janussfu\\.([a-z]+)");
    /** Top-level package → the other top-level packages it may reference. The root package (Main) sees all. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "transport", Set.of("core"),
            "admin", Set.of("core"),
            "core", Set.of("webrtc", "media", "sdp", "rtp"),
            "sfu", Set.of("core", "sdp", "rtp"),
            // Scale-out (issue 16): sees the plugin and the core's seams; only the root package (Server) sees it.
            "cluster", Set.of("core", "sfu", "rtp"),
            // webrtc implements media's MediaTransport; media (the per-leg packet pipeline) never sees webrtc.
            "webrtc", Set.of("media", "sdp", "rtp"),
            "media", Set.of("sdp", "rtp"),
            "sdp", Set.of(),
            "rtp", Set.of());
    private static final Path WEBRTC = ROOT.resolve("webrtc");
    /** A subpackage ({@code org.janussfu.webrtc.x}), or a top-level webrtc class or wildcard ({@code ...webrtc.X}). */
    private static final Pattern WEBRTC_REF = Pattern.compile("org\\.janussfu\\.webrtc\\.([a-z]+|[A-Z]\\w*|\\*)");
    /** Subpackage of webrtc → the other webrtc subpackages it may reference; none sees the top-level classes. */
    private static final Map<String, Set<String>> WEBRTC_ALLOWED = Map.of(
            "ice", Set.of(),
            "srtp", Set.of(),
            // DTLS-SRTP: negotiates the SrtpProfile and exports the SrtpKeys.
            "dtls", Set.of("srtp"),
            "sctp", Set.of(),
            // Stream ids by DTLS role (RFC 8832 §6), over an SCTP association.
            "datachannel", Set.of("sctp", "dtls"));

    @Test
    void lowerLayersNeverReferenceHigherOnes() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(ROOT)) {
            for (Path f : (Iterable<Path>) all.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Path rel = ROOT.relativize(f);
                if (rel.getNameCount() < 2) {
                    continue; // the root package wires everything together
                }
                String layer = rel.getName(0).toString();
                Set<String> allowed = ALLOWED.get(layer);
                assertTrue(allowed != null, "package " + layer + " has no layer in LayeringTest");
                files++;
                Matcher m = REF.matcher(Files.readString(f));
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.equals(layer) && !allowed.contains(target)) {
                        violations.add(rel + " -> " + target);
                    }
                }
            }
        }
        assertTrue(files > 100, "sources not found under " + ROOT.toAbsolutePath());
        assertEquals(List.of(), violations);
    }

    @Test
    void webrtcSubpackagesOnlyReferenceTheOnesBelow() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new java.util.TreeSet<>();
        try (Stream<Path> all = Files.walk(WEBRTC)) {
            for (Path f : (Iterable<Path>) all.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Path rel = WEBRTC.relativize(f);
                if (rel.getNameCount() < 2) {
                    continue; // the composition sees every subpackage
                }
                String sub = rel.getName(0).toString();
                Set<String> allowed = WEBRTC_ALLOWED.get(sub);
                assertTrue(allowed != null, "package webrtc." + sub + " has no layer in LayeringTest");
                seen.add(sub);
                Matcher m = WEBRTC_REF.matcher(Files.readString(f));
                while (m.find()) {
                    String target = m.group(1);
                    if (!Character.isLowerCase(target.charAt(0))) {
                        violations.add(rel + " -> webrtc." + target + " (the top-level composition)");
                    } else if (!target.equals(sub) && !allowed.contains(target)) {
                        violations.add(rel + " -> webrtc." + target);
                    }
                }
            }
        }
        assertEquals(WEBRTC_ALLOWED.keySet(), seen, "webrtc subpackages found under " + WEBRTC.toAbsolutePath());
        assertEquals(List.of(), violations);
    }
}
