package org.janussfu;

import java.util.logging.Level;

/** Logging settings: the root level and the line format (text or json). Immutable. */
public record LogConfig(Level level, boolean json) {
}
