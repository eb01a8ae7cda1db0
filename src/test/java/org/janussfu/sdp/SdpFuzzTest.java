package org.janussfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the parser ~20,000 random and fixture-derived inputs. The only allowed outcomes are success or
 * {@link SdpException}; on success the description must write and re-parse, and the SFU templates and the merge
 * must not throw anything but {@link SdpException} either.
 */
class SdpFuzzTest {
    private static final long SEED = 0x5D9_2025L;
    private static final int ITERATIONS = 20_000;
    private static final String[] INTERESTING = {
        "a=rtpmap:", "a=fmtp:", "a=rtcp-fb:", "a=ssrc:", "a=ssrc-group:FID ", "a=extmap:", "a=fingerprint:",
        "a=setup:", "a=sctp-port:", "a=max-message-size:", "a=sctpmap:", "a=msid:", "a=mid:", "a=group:BUNDLE ",
        "m=audio 9 UDP/TLS/RTP/SAVPF ", "m=video 0 UDP/TLS/RTP/SAVPF 96", "m=application 9 DTLS/SCTP 5000",
        "\r\n", "\n", "\r", " ", "\t", "=", ":", "/", ";", "*", "-1", "128", "65536", "4294967296",
        "99999999999999999999999", "H264/90000", "rtx/90000", "apt=", "profile-level-id=42E01F",
        "packetization-mode=0", "\u0000", "\u00e9", "\ud83d\ude00", "a=", "v=0", "o=", "s=", "c=IN IP4 0.0.0.0",
    };

    @Test
    void parserOnlyEverThrowsSdpException() {
        Random random = new Random(SEED);
        List<String> fixtures = new ArrayList<>();
        for (String name : Fixtures.VALID) {
            fixtures.add(Fixtures.text(name));
        }
        for (String name : Fixtures.MALFORMED) {
            fixtures.add(Fixtures.text(name));
        }
        int parsed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = generate(random, fixtures);
            if (check(input, i)) {
                parsed++;
            }
        }
        // Sanity: the mutations must leave a good share parseable, or the template paths go untested.
        if (parsed < ITERATIONS / 20) {
            fail("only " + parsed + " of " + ITERATIONS + " inputs parsed; mutations too destructive");
        }
    }

    /** Returns true if the input parsed. */
    private static boolean check(String input, int iteration) {
        SessionDescription sd;
        try {
            sd = SdpParser.parse(input);
        } catch (SdpException expected) {
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("iteration " + iteration + ": parser threw " + e + " on:\n" + input, e);
        }
        try {
            String written = SdpWriter.write(sd);
            SessionDescription again = SdpParser.parse(written);
            assertEquals(written, SdpWriter.write(again), "write is not stable");
            for (CodecPolicy policy : List.of(CodecPolicy.DEFAULT, CodecPolicy.DEFAULT.withVideoPreference(
                    VideoCodec.VP8, VideoCodec.VP9, VideoCodec.AV1, VideoCodec.H264))) {
                try {
                    PublisherAnswer answer = SfuSdp.publisherAnswer(sd, policy);
                    LocalTransport local = new LocalTransport("abcd", "0123456789abcdefghijkl",
                            new Fingerprint("sha-256", "AB:CD"), answer.remote().answerRole(),
                            List.of("1 1 udp 2122260223 10.0.0.1 40000 typ host"));
                    SdpParser.parse(SdpWriter.write(JsepMerge.merge(answer.answer(), local)));
                    SessionDescription offer = JsepMerge.withSendSsrcs(
                            SfuSdp.subscriberOffer(answer.negotiated()), SendSsrcs.janus(1, 2, 3));
                    SdpParser.parse(SdpWriter.write(JsepMerge.merge(offer, local)));
                } catch (SdpException acceptable) {
                    // an offer the SFU cannot answer
                }
            }
        } catch (SdpException e) {
            throw new AssertionError("iteration " + iteration + ": own output did not parse: " + e + " for:\n"
                    + input, e);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("iteration " + iteration + ": threw " + e + " on:\n" + input, e);
        }
        return true;
    }

    private static String generate(Random r, List<String> fixtures) {
        String base = fixtures.get(r.nextInt(fixtures.size()));
        return switch (r.nextInt(8)) {
            case 0 -> randomText(r);
            case 1 -> charMutations(r, base);
            case 2 -> lineMutations(r, base, fixtures);
            case 3 -> numberMutations(r, base);
            case 4 -> insertInteresting(r, base);
            case 5 -> base.substring(0, r.nextInt(base.length() + 1));
            case 6 -> lineMutations(r, charMutations(r, base), fixtures);
            default -> lineMutations(r, numberMutations(r, insertInteresting(r, base)), fixtures);
        };
    }

    private static String randomText(Random r) {
        int len = r.nextInt(400);
        StringBuilder sb = new StringBuilder(len);
        if (r.nextBoolean()) {
            sb.append("v=0\r\n");
        }
        for (int i = 0; i < len; i++) {
            int kind = r.nextInt(10);
            if (kind < 6) {
                sb.append((char) (32 + r.nextInt(95)));
            } else if (kind < 8) {
                sb.append(r.nextBoolean() ? "\r\n" : "=");
            } else if (kind < 9) {
                sb.append(INTERESTING[r.nextInt(INTERESTING.length)]);
            } else {
                sb.append((char) r.nextInt(0x3000));
            }
        }
        return sb.toString();
    }

    private static String charMutations(Random r, String base) {
        StringBuilder sb = new StringBuilder(base);
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n && sb.length() > 0; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, (char) (32 + r.nextInt(95)));
                default -> sb.setCharAt(at, (char) (r.nextInt(4) == 0 ? r.nextInt(0x100) : 32 + r.nextInt(95)));
            }
        }
        return sb.toString();
    }

    private static String lineMutations(Random r, String base, List<String> fixtures) {
        List<String> lines = new ArrayList<>(Arrays.asList(base.split("\r?\n", -1)));
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && !lines.isEmpty(); i++) {
            int at = r.nextInt(lines.size());
            switch (r.nextInt(6)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, lines.get(r.nextInt(lines.size())));
                case 2 -> Collections.swap(lines, at, r.nextInt(lines.size()));
                case 3 -> {
                    String[] other = fixtures.get(r.nextInt(fixtures.size())).split("\r?\n");
                    lines.add(at, other[r.nextInt(other.length)]);
                }
                case 4 -> {
                    String line = lines.get(at);
                    int cut = r.nextInt(line.length() + 1);
                    lines.set(at, line.substring(0, cut));
                }
                default -> Collections.shuffle(lines.subList(Math.min(at, 1), lines.size()), r);
            }
        }
        return String.join(r.nextBoolean() ? "\r\n" : "\n", lines);
    }

    private static String numberMutations(Random r, String base) {
        StringBuilder sb = new StringBuilder(base);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int at = r.nextInt(sb.length());
            int start = at;
            while (start < sb.length() && !Character.isDigit(sb.charAt(start))) {
                start++;
            }
            int end = start;
            while (end < sb.length() && Character.isDigit(sb.charAt(end))) {
                end++;
            }
            if (start >= sb.length()) {
                continue;
            }
            String[] replacements = {"0", "-1", "127", "128", "255", "256", "65535", "65536", "4294967295",
                "4294967296", "9223372036854775807", "99999999999999999999", "", "x", "1.5", "00"};
            sb.replace(start, end, replacements[r.nextInt(replacements.length)]);
        }
        return sb.toString();
    }

    private static String insertInteresting(Random r, String base) {
        StringBuilder sb = new StringBuilder(base);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.insert(r.nextInt(sb.length() + 1), INTERESTING[r.nextInt(INTERESTING.length)]);
        }
        return sb.toString();
    }
}
