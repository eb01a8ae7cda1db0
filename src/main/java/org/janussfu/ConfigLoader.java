package org.janussfu;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import java.io.File;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds the server's configuration from three layers — environment variables {@code JANUS_SFU_*}, an
 * optional file given with {@code --config}, and the embedded defaults ({@code conf/janus-sfu.conf}, in the
 * jar) — and rejects unknown keys and unknown {@code JANUS_SFU_*} variables, so that a typo fails at start
 * instead of being ignored. Runs once on the main thread.
 */
public final class ConfigLoader {
    static final String RESOURCE = "janus-sfu.conf";
    static final String ENV_PREFIX = "JANUS_SFU_";

    private ConfigLoader() {
    }

    /** Parses the command line ({@code --config FILE}) and loads the typed configuration. */
    public static ServerConfig load(String[] args, Map<String, String> env) throws ConfigException {
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--config") || a.equals("-c")) && i + 1 < args.length) {
                file = args[++i];
            } else if (a.startsWith("--config=")) {
                file = a.substring("--config=".length());
            } else {
                throw new ConfigException("unknown argument '" + a + "' (usage: java -jar janus-sfu.jar [--config FILE])");
            }
        }
        return ServerConfig.from(merge(file, env));
    }

    /** The embedded defaults, their keys and the environment name of each: parsed once, immutable. */
    private record Defaults(Config config, Set<String> known, Map<String, String> envToKey) {
    }

    private static volatile Defaults defaults;

    private static Defaults defaults() {
        Defaults d = defaults;
        if (d == null) {
            Config c = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), RESOURCE,
                    ConfigParseOptions.defaults().setAllowMissing(false));
            Set<String> known = new HashSet<>();
            Map<String, String> envToKey = new HashMap<>();
            for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
                known.add(e.getKey());
                envToKey.put(ConfigReader.envName(e.getKey()), e.getKey());
            }
            d = new Defaults(c, Set.copyOf(known), Map.copyOf(envToKey));
            defaults = d;
        }
        return d;
    }

    /** Merges the layers into one raw config; {@code file} may be null. */
    public static Config merge(String file, Map<String, String> env) throws ConfigException {
        Config fromFile = ConfigFactory.empty();
        if (file != null) {
            File f = new File(file);
            if (!f.canRead()) {
                throw new ConfigException("cannot read configuration file '" + file + "'");
            }
            try {
                fromFile = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("configuration file '" + file + "': " + e.getMessage());
            }
        }
        return mergeLayers(fromFile, env);
    }

    /**
     * As {@link #merge} with the file's text given directly ({@code name} names it in messages): the fuzz target's
     * entry, without a file write per input. Includes resolve against the working directory, not a file's.
     */
    static Config mergeText(String text, String name, Map<String, String> env) throws ConfigException {
        Config fromText;
        try {
            fromText = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(name));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("configuration file '" + name + "': " + e.getMessage());
        }
        return mergeLayers(fromText, env);
    }

    private static Config mergeLayers(Config fromFile, Map<String, String> env) throws ConfigException {
        Defaults d = defaults();
        for (Map.Entry<String, ConfigValue> e : fromFile.entrySet()) {
            if (!d.known().contains(e.getKey())) {
                throw new ConfigException("unknown configuration key '" + e.getKey() + "' at "
                        + e.getValue().origin().description());
            }
        }
        Map<String, Object> envValues = new HashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = d.envToKey().get(e.getKey());
            if (key == null) {
                throw new ConfigException("environment variable " + e.getKey() + " matches no configuration key");
            }
            envValues.put(key, d.config().getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST
                    ? listValue(e.getValue()) : e.getValue());
        }
        Config fromEnv = ConfigFactory.parseMap(envValues, "environment");
        try {
            Config explicit = fromEnv.withFallback(fromFile);
            Config legacy = legacyPluginConfig(explicit.withFallback(d.config()).getString(LEGACY_FILE_KEY));
            return explicit.withFallback(legacy).withFallback(d.config()).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    static final String LEGACY_FILE_KEY = "plugin.sfu.config_file";

    /** An environment value for a list key: {@code a,b} or {@code ["a","b"]}; empty means the empty list. */
    static java.util.List<String> listValue(String v) {
        String t = v.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : t.split(",")) {
            String p = part.trim();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1);
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The original plugin's janus.plugin.sfu.cfg as a config layer under the explicit settings: its [general]
     * keys auth_key, max_room_size and max_ccu (sfu-protocol.md §5.1). A relative auth_key is resolved against
     * the INI's folder. Unlike the original, an unreadable file or a missing [general] stops the server.
     */
    private static Config legacyPluginConfig(String path) throws ConfigException {
        if (path == null || path.isBlank()) {
            return ConfigFactory.empty();
        }
        java.nio.file.Path ini = java.nio.file.Path.of(path);
        Map<String, String> general;
        try {
            general = org.janussfu.sfu.LegacyIni.general(java.nio.file.Files.readString(ini));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ConfigException("configuration key '" + LEGACY_FILE_KEY + "': cannot use '" + path + "': " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String key : new String[]{"auth_key", "max_room_size", "max_ccu"}) {
            String v = general.get(key);
            if (v == null) {
                continue;
            }
            if (key.equals("auth_key") && !v.isBlank() && !java.nio.file.Path.of(v).isAbsolute()) {
                java.nio.file.Path dir = ini.toAbsolutePath().getParent();
                v = dir == null ? v : dir.resolve(v).toString();
            }
            values.put("plugin.sfu." + key, v);
        }
        return ConfigFactory.parseMap(values, "legacy plugin config " + path);
    }
}
