package org.janussfu;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the operator's configuration: a HOCON file
 * ({@link ConfigLoader#merge}, Typesafe Config) and {@code JANUS_SFU_*} environment values, then the typed validation
 * of {@link ServerConfig#from} that turns every bad value into exit 78. The input is the file text, optionally
 * followed by a NUL and {@code NAME=VALUE} lines for the environment. Inputs that name another file ({@code include},
 * {@code plugin.sfu.config_file}, {@code plugin.sfu.auth_key}) are skipped: which files the server reads is the
 * operator's choice, not a parser property (the INI reader has its own target). The text goes through
 * {@link ConfigLoader#mergeText} — {@code merge} without a file write per input. Invariant: nothing but our
 * {@link ConfigException} escapes — a Typesafe exception or a runtime exception would be a start-up crash with a stack
 * trace instead of exit 78. Seeds: the embedded {@code conf/janus-sfu.conf} and the documented override forms.
 * JUnit thread.
 */
class ConfigLoaderFuzzTest {
    /** Refuses every include so that a pre-parse can tell which inputs would read another file. */
    private static final ConfigParseOptions NO_INCLUDES = ConfigParseOptions.defaults().setIncluder(new ConfigIncluder() {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw new IncludeSeen();
        }
    });

    private static final class IncludeSeen extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @FuzzTest(maxDuration = "60s")
    void loadConfig(byte[] data) throws IOException {
        String input = FuzzChecks.utf8(data);
        int nul = input.indexOf('\0');
        String text = nul < 0 ? input : input.substring(0, nul);
        Map<String, String> env = new HashMap<>();
        if (nul >= 0) {
            for (String line : input.substring(nul + 1).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        if (env.keySet().stream().anyMatch(k -> k.contains("CONFIG_FILE") || k.contains("AUTH_KEY"))) {
            return;
        }
        try {
            Config pre = ConfigFactory.parseString(text, NO_INCLUDES);
            if (pre.hasPathOrNull("plugin.sfu.config_file") || pre.hasPathOrNull("plugin.sfu.auth_key")) {
                return;
            }
        } catch (IncludeSeen | com.typesafe.config.ConfigException other) {
            if (other instanceof IncludeSeen || text.contains("include")) {
                return;
            }
            // a syntax error: the loader must report it as ours
        }
        try {
            Config merged = ConfigLoader.mergeText(text, "fuzz.conf", env); // as merge(file), without the file write
            require(merged.isResolved(), "merged configuration not resolved");
            ServerConfig.from(merged);
        } catch (ConfigException expected) {
            // exit 78 with a message
        }
    }

    /** Regenerates the seed corpus (run from the project root). */
    public static void main(String[] args) {
        Map<String, byte[]> s = new LinkedHashMap<>();
        try {
            s.put("embedded-defaults", Files.readAllBytes(Path.of("conf/janus-sfu.conf")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] texts = {
            "general {\n  max-sessions = 500\n}\nwebsocket.port = 9188\nhttp { enabled = false }\n",
            "plugin.sfu { max_room_size = 24, max_ccu = 2000 }\nwebrtc.ice.bind-addresses = [\"127.0.0.1\"]\n",
            "# comment\nlog.format = json\ngeneral.api-secret = \"s3cr3t\"\n\0JANUS_SFU_WEBSOCKET_PORT=8190\n"
                + "JANUS_SFU_WEBRTC_ICE_BIND_ADDRESSES=127.0.0.1,::1\n",
            "websocket.port = 70000\n",
            "unknown.key = 1\n",
            "general.max-sessions = ${?HOME}\n",
        };
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            s.put(FuzzChecks.name("conf", b), b);
        }
        FuzzChecks.writeSeeds(ConfigLoaderFuzzTest.class, "loadConfig", s);
    }
}
