package org.janussfu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration layering (embedded defaults, --config file, JANUS_SFU_* environment) and fail-fast errors. */
class ConfigLoaderTest {

    @Test
    void embeddedDefaults() throws Exception {
        ServerConfig c = ConfigLoader.load(new String[0], Map.of());
        assertEquals(8188, c.ws().port());
        assertEquals(8088, c.http().port());
        assertEquals("/janus", c.http().basePath());
        assertEquals(60, c.core().sessionTimeoutSeconds());
        assertEquals(262144, c.ws().maxMessageBytes());
        assertEquals("0.0.0.0", c.ws().host());
    }

    @Test
    void fileThenEnvironmentOverride(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("site.conf");
        Files.writeString(f, "general.session-timeout = 38\ntransport { ws { port = 9000 }, http.port = 9001 }\n");
        ServerConfig c = ConfigLoader.load(new String[]{"--config", f.toString()},
                Map.of("JANUS_SFU_TRANSPORT_WS_PORT", "9100", "PATH", "/usr/bin"));
        assertEquals(38, c.core().sessionTimeoutSeconds());
        assertEquals(9100, c.ws().port(), "environment beats the file");
        assertEquals(9001, c.http().port());
    }

    @Test
    void badValuesFailNamingTheKey(@TempDir Path dir) throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[0], Map.of("JANUS_SFU_TRANSPORT_WS_PORT", "70000")));
        assertTrue(e.getMessage().contains("transport.ws.port") && e.getMessage().contains("JANUS_SFU_TRANSPORT_WS_PORT"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[0], Map.of("JANUS_SFU_GENERAL_SESSION_TIMEOUT", "soon")));
        assertTrue(e.getMessage().contains("general.session-timeout"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[0], Map.of("JANUS_SFU_LOG_FORMAT", "xml")));
        assertTrue(e.getMessage().contains("log.format"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[0], Map.of("JANUS_SFU_TRANSPORT_HTTP_BASE_PATH", "janus/")));
        assertTrue(e.getMessage().contains("transport.http.base-path"), e.getMessage());
    }

    @Test
    void unknownKeysAndVariablesAreRejected(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("typo.conf");
        Files.writeString(f, "transport.ws.prot = 1\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[]{"--config", f.toString()}, Map.of()));
        assertTrue(e.getMessage().contains("transport.ws.prot"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[0], Map.of("JANUS_SFU_TRANSPORT_WS_PROT", "1")));
        assertTrue(e.getMessage().contains("JANUS_SFU_TRANSPORT_WS_PROT"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[]{"--config", dir.resolve("missing").toString()}, Map.of()));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[]{"--bogus"}, Map.of()));
    }

    @Test
    void mediaPlaneKeys() throws Exception {
        ServerConfig c = ConfigLoader.load(new String[0], Map.of(
                "JANUS_SFU_WEBRTC_ICE_BIND_ADDRESSES", "127.0.0.1, 127.0.0.2",
                "JANUS_SFU_WEBRTC_ICE_ADVERTISED_ADDRESS", "192.0.2.10",
                "JANUS_SFU_PLUGIN_SFU_VIDEO_CODECS", "[\"vp8\",\"h264\"]"));
        assertEquals(2, c.webrtc().ice().bindAddresses().size());
        assertEquals("192.0.2.10", c.webrtc().ice().advertisedAddress().getHostAddress());
        assertEquals(org.janussfu.sdp.VideoCodec.VP8, c.codecs().videoPreference().get(0));
        assertTrue(ConfigLoader.load(new String[0], Map.of()).webrtc().ice().bindAddresses().size() >= 1,
                "[] = the machine's addresses plus loopback");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0],
                Map.of("JANUS_SFU_WEBRTC_ICE_BIND_ADDRESSES", "example.com")));
        assertTrue(e.getMessage().contains("webrtc.ice.bind-addresses"), "no DNS names: " + e.getMessage());
        assertEquals(20000, ConfigLoader.load(new String[0], Map.of("JANUS_SFU_WEBRTC_ICE_PORT_RANGE", "20000-20999"))
                .webrtc().icePortMin());
        for (String bad : new String[]{"20000", "2-1", "0-10", "a-b", "1-70000"}) {
            e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0],
                    Map.of("JANUS_SFU_WEBRTC_ICE_PORT_RANGE", bad)), bad);
            assertTrue(e.getMessage().contains("webrtc.ice.port-range"), e.getMessage());
        }
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0],
                Map.of("JANUS_SFU_PLUGIN_SFU_VIDEO_CODECS", "h265")));
        assertTrue(e.getMessage().contains("plugin.sfu.video_codecs"), e.getMessage());
    }

    @Test
    void nackQueueNoMediaAndCaptureKeys() throws Exception {
        ServerConfig d = ConfigLoader.load(new String[0], Map.of());
        assertEquals(1000, d.webrtc().maxNackQueueMillis());
        assertEquals(1000, d.webrtc().noMediaTimeout().toMillis());
        assertEquals("", d.admin().pcapDir(), "captures are off by default");
        assertEquals(100L << 20, d.admin().pcapMaxBytes());
        ServerConfig c = ConfigLoader.load(new String[0], Map.of("JANUS_SFU_WEBRTC_MAX_NACK_QUEUE", "0",
                "JANUS_SFU_WEBRTC_NO_MEDIA_TIMEOUT", "0", "JANUS_SFU_ADMIN_PCAP_DIR", "/var/tmp/caps"));
        assertEquals(0, c.webrtc().maxNackQueueMillis());
        assertEquals(0, c.webrtc().noMediaTimeout().toMillis(), "0 = no-media timer off");
        assertEquals("/var/tmp/caps", c.admin().pcapDir());
        for (String[] bad : new String[][]{{"JANUS_SFU_WEBRTC_MAX_NACK_QUEUE", "100"}, {"JANUS_SFU_WEBRTC_MAX_NACK_QUEUE", "1001"},
                {"JANUS_SFU_WEBRTC_NO_MEDIA_TIMEOUT", "50"}, {"JANUS_SFU_ADMIN_PCAP_BUFFER_BYTES", "100"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0],
                    Map.of(bad[0], bad[1])), bad[0]);
            assertTrue(e.getMessage().contains(bad[0].substring("JANUS_SFU_".length()).toLowerCase().replace('_', '-')
                    .replaceFirst("-", ".")) || e.getMessage().contains(bad[0]), e.getMessage());
        }
    }

    @Test
    void legacyPluginIniIsALayerUnderExplicitSettings(@TempDir Path dir) throws Exception {
        Path ini = dir.resolve("janus.plugin.sfu.cfg");
        Files.writeString(ini, "[general]\nmax_room_size = 24 ; Hubs\nmax_ccu = \"1000\"\nmessage_threads = 0\n");
        ServerConfig c = ConfigLoader.load(new String[0], Map.of("JANUS_SFU_PLUGIN_SFU_CONFIG_FILE", ini.toString(),
                "JANUS_SFU_PLUGIN_SFU_MAX_CCU", "50"));
        assertEquals(24, c.sfu().maxRoomSize());
        assertEquals(50, c.sfu().maxCcu(), "the environment wins over the legacy file");
        Files.writeString(ini, "max_ccu = 3\n");
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0],
                Map.of("JANUS_SFU_PLUGIN_SFU_CONFIG_FILE", ini.toString())), "no [general]: fail, not silently default");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0],
                Map.of("JANUS_SFU_PLUGIN_SFU_AUTH_KEY", dir.resolve("missing.pem").toString())));
        assertTrue(e.getMessage().contains("plugin.sfu.auth_key"), e.getMessage());
    }

    @Test
    void shippedConfFileIsTheEmbeddedOne() throws Exception {
        // conf/janus-sfu.conf is both the documented default and what the jar embeds: loading it as a file changes nothing.
        ServerConfig fromFile = ConfigLoader.load(new String[]{"--config", "conf/janus-sfu.conf"}, Map.of());
        assertEquals(ConfigLoader.load(new String[0], Map.of()), fromFile);
    }
}
