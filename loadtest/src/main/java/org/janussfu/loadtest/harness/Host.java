package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the results were measured on: CPU model and count, kernel, JVM. Stateless; any thread.
 */
final class Host {
    private Host() {
    }

    static ObjectNode describe() {
        ObjectNode h = JanusWs.JSON.createObjectNode();
        String model = "?";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
            h.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        } catch (Exception e) {
            // best effort
        }
        h.put("cpu", model).put("cpus", Runtime.getRuntime().availableProcessors())
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return h;
    }
}
