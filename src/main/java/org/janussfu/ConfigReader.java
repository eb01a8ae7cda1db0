package org.janussfu;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Missing;
import com.typesafe.config.ConfigException.WrongType;

import java.util.Locale;
import java.util.Set;

/**
 * Typed, range-checked access to the merged configuration, failing with a {@link ConfigException} that names
 * the key, its environment variable and where the bad value came from. Used once at start on the main
 * thread; never on a hot path.
 */
final class ConfigReader {
    private final Config config;

    ConfigReader(Config config) {
        this.config = config;
    }

    static String envName(String key) {
        return ConfigLoader.ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    int integer(String key, int min, int max) throws ConfigException {
        int v;
        try {
            v = config.getInt(key);
        } catch (WrongType e) {
            throw bad(key, "an integer from " + min + " to " + max);
        } catch (Missing e) {
            throw missing(key);
        }
        if (v < min || v > max) {
            throw bad(key, "an integer from " + min + " to " + max);
        }
        return v;
    }

    boolean bool(String key) throws ConfigException {
        try {
            return config.getBoolean(key);
        } catch (WrongType e) {
            throw bad(key, "true or false");
        } catch (Missing e) {
            throw missing(key);
        }
    }

    String string(String key) throws ConfigException {
        try {
            return config.getString(key);
        } catch (WrongType e) {
            throw bad(key, "a string");
        } catch (Missing e) {
            throw missing(key);
        }
    }

    String oneOf(String key, Set<String> allowed) throws ConfigException {
        String v = string(key).toUpperCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw bad(key, "one of " + allowed);
    }

    ConfigException bad(String key, String expected) {
        String origin = config.hasPath(key) ? config.getValue(key).origin().description() : "?";
        String shown = config.hasPath(key) ? config.getValue(key).render() : "(missing)";
        return new ConfigException("configuration key '" + key + "' (env " + envName(key) + "): expected " + expected
                + ", got " + shown + " from " + origin);
    }

    private static ConfigException missing(String key) {
        return new ConfigException("configuration key '" + key + "' (env " + envName(key) + ") is missing");
    }
}
