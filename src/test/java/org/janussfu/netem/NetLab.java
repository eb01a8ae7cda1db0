package org.janussfu.netem;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private network namespace joined to the root namespace by one veth pair, made and removed by a test, with an
 * impairment (loss, rate, queue, delay) on either direction. The root end gets {@code 10.231.N.1/30}, the namespace
 * end {@code 10.231.N.2/30} (N random per lab, so labs of parallel runs do not collide); nothing else is routed,
 * and removing the namespace removes both ends. Used from the JUnit thread; {@link #close} always cleans up.
 *
 * <p><b>Impairment.</b> With the kernel's {@code sch_netem} the impairment is one netem qdisc (loss, delay, rate,
 * limit). Kernels without it (the Firecracker guest kernel of this project's CI has no netem and no tc actions)
 * get the same loss and rate from what they do have: an HTB class at the rate with a short FIFO (the bounded
 * bottleneck queue), and a classic-BPF classifier that sends a random fraction of packets (SKF_AD_RANDOM, the
 * kernel's PRNG) to a class whose FIFO holds zero packets — every packet classified there is dropped. Fixed delay
 * has no equivalent without netem; {@link #hasNetem} says which form is in force and the tests report it.
 */
public final class NetLab implements AutoCloseable {
    /** Root-namespace end: egress is the server → client direction. */
    public static final boolean TOWARDS_NS = true;
    /** Namespace end: egress is the client → server direction. */
    public static final boolean FROM_NS = false;

    public final String ns;
    public final String rootIf;
    public final String nsIf;
    public final String rootAddress;
    public final String nsAddress;
    private final List<String> log = new ArrayList<>();
    private Boolean netem;

    private NetLab(String ns, String rootIf, String nsIf, String rootAddress, String nsAddress) {
        this.ns = ns;
        this.rootIf = rootIf;
        this.nsIf = nsIf;
        this.rootAddress = rootAddress;
        this.nsAddress = nsAddress;
    }

    /** Makes the lab, or skips the test (JUnit assumption) when not root or when {@code ip netns} does not work. */
    public static NetLab createOrSkip() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
        int n = ThreadLocalRandom.current().nextInt(1, 250);
        int tag = (int) (ProcessHandle.current().pid() % 10000);
        NetLab lab = new NetLab("jsfu-rel-" + tag + "-" + n, "jrel" + tag + "a", "jrel" + tag + "b",
                "10.231." + n + ".1", "10.231." + n + ".2");
        if (lab.run("ip", "netns", "add", lab.ns) != 0) {
            Assumptions.abort("ip netns add failed (no ip netns here): " + lab.log);
        }
        try {
            lab.must("ip", "link", "add", lab.rootIf, "type", "veth", "peer", "name", lab.nsIf);
            lab.must("ip", "link", "set", lab.nsIf, "netns", lab.ns);
            lab.must("ip", "addr", "add", lab.rootAddress + "/30", "dev", lab.rootIf);
            lab.must("ip", "link", "set", lab.rootIf, "up");
            lab.inNs("ip", "addr", "add", lab.nsAddress + "/30", "dev", lab.nsIf);
            lab.inNs("ip", "link", "set", lab.nsIf, "up");
            lab.inNs("ip", "link", "set", "lo", "up");
        } catch (Exception | AssertionError e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** Whether this kernel has the netem qdisc (then delay is emulated too). */
    public boolean hasNetem() throws Exception {
        if (netem == null) {
            netem = run("tc", "qdisc", "add", "dev", rootIf, "root", "handle", "1:", "netem", "loss", "0%") == 0;
            run("tc", "qdisc", "del", "dev", rootIf, "root");
        }
        return netem;
    }

    /**
     * Impairs one direction ({@link #TOWARDS_NS}: root-end egress, {@link #FROM_NS}: namespace-end egress): random
     * loss in percent, a rate in kbit/s (0 = none) with a queue of {@code queuePackets}, and delay (netem only).
     * Replaces any earlier impairment of that direction.
     */
    public String impair(boolean direction, double lossPct, int rateKbit, int queuePackets, int delayMs) throws Exception {
        List<String> pre = direction == TOWARDS_NS ? List.of() : List.of("ip", "netns", "exec", ns);
        String dev = direction == TOWARDS_NS ? rootIf : nsIf;
        clear(direction);
        if (hasNetem()) {
            List<String> c = new ArrayList<>(pre);
            c.addAll(List.of("tc", "qdisc", "add", "dev", dev, "root", "netem", "loss", lossPct + "%"));
            if (delayMs > 0) {
                c.addAll(List.of("delay", delayMs + "ms"));
            }
            if (rateKbit > 0) {
                c.addAll(List.of("rate", rateKbit + "kbit"));
            }
            c.addAll(List.of("limit", Integer.toString(Math.max(1, queuePackets))));
            mustList(c);
            return "netem loss " + lossPct + "% delay " + delayMs + "ms rate " + rateKbit + "kbit limit " + queuePackets;
        }
        String rate = (rateKbit > 0 ? rateKbit : 10_000_000) + "kbit";
        mustList(cat(pre, "tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "1", "r2q", "1"));
        mustList(cat(pre, "tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:1", "htb", "rate", rate,
                "burst", "4k"));
        mustList(cat(pre, "tc", "qdisc", "add", "dev", dev, "parent", "1:1", "handle", "10:", "pfifo", "limit",
                Integer.toString(Math.max(1, queuePackets))));
        if (lossPct > 0) {
            mustList(cat(pre, "tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:2", "htb", "rate", "1mbit"));
            mustList(cat(pre, "tc", "qdisc", "add", "dev", dev, "parent", "1:2", "handle", "20:", "pfifo", "limit", "0"));
            // cBPF: A = random u32 (SKF_AD_OFF + SKF_AD_RANDOM); A > threshold ? class 1:1 (pass) : class 1:2 (drop)
            long threshold = Math.round(lossPct / 100.0 * 4294967296.0);
            String prog = "4,32 0 0 4294963256,37 0 1 " + threshold + ",6 0 0 65537,6 0 0 65538";
            mustList(cat(pre, "tc", "filter", "add", "dev", dev, "parent", "1:", "protocol", "all", "prio", "1", "bpf",
                    "bytecode", prog));
        }
        return "htb rate " + rate + " pfifo " + queuePackets + " + cBPF random loss " + lossPct + "% (no netem: no delay)";
    }

    /**
     * Drops, in one direction, every IPv4 UDP datagram whose payload starts with a byte in {@code [lo, hi]} — the
     * RFC 7983 §7 demultiplexing ranges: 0–3 STUN, 20–63 DTLS (and 23 alone: DTLS application data, i.e. SCTP),
     * 128–191 RTP/RTCP. A classic-BPF classifier reads the bytes relative to the network header (SKF_NET_OFF; our
     * IPv4 headers carry no options, so the UDP payload starts 28 bytes in) and sends matches to a class whose FIFO
     * holds nothing. Replaces any earlier impairment of that direction.
     */
    public void dropUdpFirstByte(boolean direction, int lo, int hi) throws Exception {
        List<String> pre = direction == TOWARDS_NS ? List.of() : List.of("ip", "netns", "exec", ns);
        String dev = direction == TOWARDS_NS ? rootIf : nsIf;
        clear(direction);
        mustList(cat(pre, "tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "1", "r2q", "1"));
        mustList(cat(pre, "tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit"));
        mustList(cat(pre, "tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:2", "htb", "rate", "1mbit"));
        mustList(cat(pre, "tc", "qdisc", "add", "dev", dev, "parent", "1:2", "handle", "20:", "pfifo", "limit", "0"));
        long net = 0xFFF00000L;                 // SKF_NET_OFF (-0x100000) as an unsigned 32-bit k
        String prog = "7,48 0 0 " + (net + 9) + ",21 0 4 17,48 0 0 " + (net + 28) + ",53 0 2 " + lo + ",37 1 0 " + hi
                + ",6 0 0 65538,6 0 0 65537";
        mustList(cat(pre, "tc", "filter", "add", "dev", dev, "parent", "1:", "protocol", "ip", "prio", "1", "bpf",
                "bytecode", prog));
    }

    /** Removes the impairment of one direction. */
    public void clear(boolean direction) throws Exception {
        if (direction == TOWARDS_NS) {
            run("tc", "qdisc", "del", "dev", rootIf, "root");
        } else {
            run("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", nsIf, "root");
        }
    }

    /** Packets the impairment of one direction dropped so far (the sum over its qdiscs' "dropped"). */
    public long dropped(boolean direction) throws Exception {
        List<String> c = direction == TOWARDS_NS ? List.of("tc", "-s", "qdisc", "show", "dev", rootIf)
                : List.of("ip", "netns", "exec", ns, "tc", "-s", "qdisc", "show", "dev", nsIf);
        String out = output(c);
        long sum = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("dropped (\\d+)").matcher(out);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** The command prefix that runs a program inside the namespace. */
    public List<String> execPrefix() {
        return List.of("ip", "netns", "exec", ns);
    }

    private static List<String> cat(List<String> pre, String... rest) {
        List<String> c = new ArrayList<>(pre);
        c.addAll(List.of(rest));
        return c;
    }

    private void inNs(String... c) throws Exception {
        mustList(cat(execPrefix(), c));
    }

    private void must(String... c) throws Exception {
        mustList(List.of(c));
    }

    private void mustList(List<String> c) throws Exception {
        if (run(c.toArray(String[]::new)) != 0) {
            throw new AssertionError("failed: " + String.join(" ", c) + "\n" + String.join("\n", log));
        }
    }

    private int run(String... c) throws Exception {
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            log.add(String.join(" ", c) + " -> " + p.exitValue() + ": " + out.strip());
        }
        return p.exitValue();
    }

    private static String output(List<String> c) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws Exception {
        run("ip", "netns", "del", ns);
        run("ip", "link", "del", rootIf);        // normally gone with the namespace already
    }
}
