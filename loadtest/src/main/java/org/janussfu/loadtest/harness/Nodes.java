package org.janussfu.loadtest.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The nodes of a clustered run (issue 16): each node's WebSocket port, process id and admin HTTP port (for its
 * {@code /metrics}). Users are spread over the nodes by their index ({@link #wsPort}), so that a user's node and a
 * sender's node are known to the generator without asking. Immutable; any thread (the scrape blocks for at most 2 s).
 */
record Nodes(int[] wsPorts, long[] pids, int[] metricsPorts) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Parses {@code "18390,18393"}-style lists; null when there is only one node. */
    static Nodes parse(String ports, String pids, String metricsPorts) {
        if (ports == null || !ports.contains(",")) {
            return null;
        }
        String[] p = ports.split(",");
        String[] d = pids.split(",");
        String[] m = metricsPorts == null ? new String[0] : metricsPorts.split(",");
        if (d.length != p.length || (m.length != 0 && m.length != p.length)) {
            throw new IllegalArgumentException("--port, --server-pid and --metrics-port need one value per node");
        }
        int[] wp = new int[p.length];
        long[] pp = new long[p.length];
        int[] mp = new int[m.length];
        for (int i = 0; i < p.length; i++) {
            wp[i] = Integer.parseInt(p[i].trim());
            pp[i] = Long.parseLong(d[i].trim());
            if (m.length > 0) {
                mp[i] = Integer.parseInt(m[i].trim());
            }
        }
        return new Nodes(wp, pp, mp);
    }

    int count() {
        return wsPorts.length;
    }

    /** The node of the user (or sender) with this index. */
    int of(int index) {
        return Math.floorMod(index, wsPorts.length);
    }

    int wsPort(int index) {
        return wsPorts[of(index)];
    }

    /** RTP packets all nodes sent to other nodes so far ({@code janus_cluster_rtp_total{direction="sent"}}), or -1. */
    long crossNodeRtpSent() {
        long sum = 0;
        for (int port : metricsPorts) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                String want = "janus_cluster_rtp_total{direction=\"sent\"} ";
                for (String line : r.body().split("\n")) {
                    if (line.startsWith(want)) {
                        sum += (long) Double.parseDouble(line.substring(want.length()).trim());
                    }
                }
            } catch (java.io.IOException | InterruptedException | RuntimeException e) {
                return -1;
            }
        }
        return metricsPorts.length == 0 ? -1 : sum;
    }
}
