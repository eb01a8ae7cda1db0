package org.janussfu.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets one process holds right now, read from Linux' {@code /proc/<pid>/fd} (socket inodes) and
 * {@code /proc/<pid>/net/{tcp,tcp6,udp,udp6}} (addresses of every socket of the network namespace, matched by inode).
 * Used by tests to prove that a child JVM talks to nothing but the addresses it was given. Stateless; any thread.
 */
public final class ProcSockets {

    /** One socket: protocol ("tcp"/"udp"), local and remote address as "a.b.c.d:port", TCP state (0A = LISTEN). */
    public record Sock(String proto, String local, String remote, String state) {
        public String localIp() {
            return local.substring(0, local.lastIndexOf(':'));
        }

        public int localPort() {
            return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
        }

        public String remoteIp() {
            return remote.substring(0, remote.lastIndexOf(':'));
        }

        public boolean listening() {
            return proto.equals("tcp") && state.equals("0A");
        }

        /** Connected (or UDP-connected) to something: the remote address is not 0.0.0.0:0. */
        public boolean hasRemote() {
            return !remote.endsWith(":0") || !remoteIp().equals("0.0.0.0");
        }
    }

    private ProcSockets() {
    }

    public static List<Sock> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed while we listed it
                }
            }
        }
        List<Sock> out = new ArrayList<>();
        for (String table : new String[]{"tcp", "tcp6", "udp", "udp6"}) {
            Path p = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 10 || !inodes.contains(f[9])) {
                    continue;
                }
                out.add(new Sock(table.startsWith("tcp") ? "tcp" : "udp", addr(f[1]), addr(f[2]), f[3]));
            }
        }
        return out;
    }

    /** "0100007F:1F90" → "127.0.0.1:8080"; IPv6 (32 hex digits): IPv4-mapped shown as IPv4, else hex groups. */
    static String addr(String hex) {
        int colon = hex.indexOf(':');
        String ip = hex.substring(0, colon);
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        if (ip.length() == 8) {
            return v4(ip) + ":" + port;
        }
        // four little-endian 32-bit words
        if (ip.startsWith("0000000000000000FFFF0000")) {
            return v4(ip.substring(24)) + ":" + port;
        }
        if (ip.equals("00000000000000000000000000000000")) {
            return "0.0.0.0:" + port; // :: (any)
        }
        if (ip.equals("00000000000000000000000001000000")) {
            return "127.0.0.1:" + port; // ::1, counted as loopback
        }
        return "[" + ip + "]:" + port;
    }

    private static String v4(String le) {
        long v = Long.parseLong(le, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }
}
