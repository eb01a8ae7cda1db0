package org.janussfu.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Shared helpers of the Jazzer fuzz targets (docs/fuzzing.md): invariant checks that fail with an
 * {@link AssertionError} naming the broken invariant, UTF-8 decoding of the raw input, and the writer that puts seed
 * inputs where Jazzer's JUnit integration looks for them ({@code src/test/resources/<package>/<Class>Inputs/<method>/}).
 * Stateless; called on the JUnit (fuzzing) thread.
 */
public final class FuzzChecks {
    /** Bound of the "no input makes a parser allocate unboundedly" invariants: output ≤ this × input + slack. */
    public static final int GROWTH = 4;

    private FuzzChecks() {
    }

    /** Fails the fuzz run with {@code what} when {@code ok} is false. */
    public static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("fuzz invariant broken: " + what);
        }
    }

    /** Output of {@code outLen} for an input of {@code inLen} stays within {@link #GROWTH} × input plus {@code slack}. */
    public static void bounded(long outLen, long inLen, long slack, String what) {
        require(outLen <= GROWTH * inLen + slack, what + ": " + outLen + " from an input of " + inLen);
    }

    /** The input as text, the way a transport decodes a frame (malformed sequences become U+FFFD). */
    public static String utf8(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code seeds} (name → bytes) into the inputs directory of {@code testClass#method} under the project's
     * {@code src/test/resources}; run from the project root by each target's {@code main} to regenerate its corpus.
     */
    public static void writeSeeds(Class<?> testClass, String method, Map<String, byte[]> seeds) {
        Path dir = Path.of("src/test/resources", testClass.getPackageName().replace('.', '/'),
                testClass.getSimpleName() + "Inputs", method);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(dir + ": " + seeds.size() + " seeds");
    }

    /** A short content name for a seed file. */
    public static String name(String prefix, byte[] content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content);
            return prefix + "-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
