package org.janussfu;

/**
 * A configuration problem found at start: names the key (and its environment variable) and what was wrong.
 * Thrown only by {@link ConfigLoader}; {@link Main} turns it into exit code 78.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
