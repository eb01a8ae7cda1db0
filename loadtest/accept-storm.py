#!/usr/bin/env python3
"""Server CPU per accepted TCP connection (issue 11, docs/performance.md § Abuse).

    loadtest/accept-storm.py <server pid> <port> [connections, default 8000, at most 19000]

Opens that many non-blocking TCP connections to 127.0.0.1:<port> as fast as it can (never sends a byte), waits
until the server's CPU time stops growing, prints the server's user + system CPU per connection (from
/proc/<pid>/stat), then closes them all. Run it 3-4 times: the first includes JIT warm-up. Pin the server and this
script to different cores (taskset -c 0 / -c 1) to reproduce the numbers. Loopback only; bounded by its count.
"""
import os
import resource
import socket
import sys
import time

pid, port = int(sys.argv[1]), int(sys.argv[2])
n = min(int(sys.argv[3]) if len(sys.argv) > 3 else 8000, 19000)
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 1000), hard))
tick = os.sysconf("SC_CLK_TCK")


def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]), int(f[12])  # utime, stime in clock ticks


u0, s0 = cpu()
t0 = time.time()
socks = []
for _ in range(n):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    socks.append(s)
opened = time.time() - t0
last = None
for _ in range(60):  # at most 30 s
    time.sleep(0.5)
    c = cpu()
    if c == last:
        break
    last = c
u1, s1 = cpu()
ms = lambda t: t * 1000 // tick
print(f"opened {n} in {opened:.2f} s; server CPU user {ms(u1 - u0)} ms + sys {ms(s1 - s0)} ms = "
      f"{(u1 - u0 + s1 - s0) * 1e6 / tick / n:.0f} us per connection; server fds {len(os.listdir(f'/proc/{pid}/fd'))}")
for s in socks:
    s.close()
