#!/usr/bin/python3
"""
An independent WebRTC client for janus-sfu's interoperability test (issue 12): Debian's aiortc (its own ICE in
aioice, DTLS on OpenSSL, SRTP on libsrtp, SCTP in Python) speaking the Janus HTTP API and janus.plugin.sfu.

One publisher joins with an audio track and a data channel (aiortc is the offerer, so ICE-controlling); then
SUBSCRIPTIONS fresh subscriber PeerConnections subscribe to it one after another (the server offers, so it is
controlling and aiortc controlled; each side draws a random tie-breaker, so both orders occur over the runs). Every
subscription must connect on its first attempt and receive audio frames. Prints one JSON line with the results;
exit status 0 only if everything passed.

Only 127.0.0.1 is used: aioice leaves loopback out of its host candidates, so this script gives it exactly that
address (and no STUN server: aiortc would otherwise ask a public one).
"""
import argparse
import asyncio
import json
import sys
import time
import urllib.request

import aioice.ice

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription  # noqa: E402
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError  # noqa: E402


class Janus:
    """Janus HTTP API client (RFC-less: https://janus.conf.meetecho.com/docs/rest.html), one session."""

    def __init__(self, base):
        self.base = base
        self.tx = 0
        self.events = []
        self.session = self.post("", {"janus": "create"})["data"]["id"]

    def post(self, path, body):
        self.tx += 1
        body["transaction"] = "t%d" % self.tx
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=15) as r:
            reply = json.loads(r.read())
        if reply.get("janus") == "error":
            raise RuntimeError("janus error: %s" % reply)
        return reply

    def attach(self):
        return self.post("/%d" % self.session, {"janus": "attach", "plugin": "janus.plugin.sfu"})["data"]["id"]

    def poll(self):
        with urllib.request.urlopen("%s/%d?maxev=10" % (self.base, self.session), timeout=40) as r:
            got = json.loads(r.read())
        self.events.extend(got if isinstance(got, list) else [got])

    def message(self, handle, body, jsep=None):
        """Sends a plugin message; returns (plugindata.data, jsep) of its reply, synchronous or as an event."""
        msg = {"janus": "message", "body": body}
        if jsep is not None:
            msg["jsep"] = jsep
        reply = self.post("/%d/%d" % (self.session, handle), msg)
        tx = reply["transaction"]
        deadline = time.time() + 20
        while reply.get("janus") == "ack":
            for e in self.events:
                if e.get("transaction") == tx and e.get("janus") in ("event", "success"):
                    self.events.remove(e)
                    reply = e
                    break
            else:
                if time.time() > deadline:
                    raise RuntimeError("no reply to " + tx)
                self.poll()
        data = reply["plugindata"]["data"]
        if not data.get("success", True):
            raise RuntimeError("plugin error: %s" % data)
        return data, reply.get("jsep")

    def wait_event(self, handle, kind, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.events:
                if e.get("janus") == kind and e.get("sender") == handle:
                    self.events.remove(e)
                    return e
            self.poll()
        return None


def pc():
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


async def run(args):
    loop = asyncio.get_running_loop()
    janus = await loop.run_in_executor(None, Janus, args.url)
    result = {"publisher": None, "subscriptions": [], "roles": {"subscriber_controlled": 0}}

    # The publisher: aiortc offers (audio + a data channel), the server answers.
    pub_handle = await loop.run_in_executor(None, janus.attach)
    pub = pc()
    pub.addTrack(AudioStreamTrack())
    channel = pub.createDataChannel("reliable")
    opened = asyncio.Event()
    channel.on("open", opened.set)
    await pub.setLocalDescription(await pub.createOffer())
    offer = {"type": "offer", "sdp": pub.localDescription.sdp, "trickle": False}
    data, answer = await loop.run_in_executor(None, janus.message, pub_handle,
                                              {"kind": "join", "room_id": args.room, "user_id": "aiortc-pub",
                                               "subscribe": {"notifications": True, "data": True}}, offer)
    await pub.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))
    t0 = time.time()
    try:
        await asyncio.wait_for(opened.wait(), 15)
        result["publisher"] = {"ice": pub.iceConnectionState, "datachannel": channel.readyState,
                               "seconds": round(time.time() - t0, 3)}
    except asyncio.TimeoutError:
        result["publisher"] = {"ice": pub.iceConnectionState, "datachannel": channel.readyState, "error": "timeout"}
        print(json.dumps(result))
        return 1

    # Subscriptions, one after another, each a fresh PeerConnection on a fresh handle.
    ok = True
    for i in range(args.subscriptions):
        handle = await loop.run_in_executor(None, janus.attach)
        sub = pc()
        frames = asyncio.Queue()

        @sub.on("track")
        def on_track(track):
            async def drain():
                try:
                    while True:
                        await track.recv()
                        frames.put_nowait(1)
                except MediaStreamError:
                    pass
            asyncio.ensure_future(drain())

        t0 = time.time()
        data, offer = await loop.run_in_executor(None, janus.message, handle,
                                                 {"kind": "join", "room_id": args.room, "user_id": "aiortc-sub-%d" % i,
                                                  "subscribe": {"media": "aiortc-pub"}})
        await sub.setRemoteDescription(RTCSessionDescription(offer["sdp"], offer["type"]))
        await sub.setLocalDescription(await sub.createAnswer())
        await loop.run_in_executor(None, janus.message, handle, {},
                                   {"type": "answer", "sdp": sub.localDescription.sdp, "trickle": False})
        got = 0
        deadline = time.time() + 15
        while got < args.frames and time.time() < deadline:
            try:
                await asyncio.wait_for(frames.get(), max(0.1, deadline - time.time()))
                got += 1
            except asyncio.TimeoutError:
                break
        transport = sub.getTransceivers()[0].receiver.transport.transport
        controlled = not transport.iceGatherer._connection.ice_controlling
        result["roles"]["subscriber_controlled"] += 1 if controlled else 0
        entry = {"ice": sub.iceConnectionState, "frames": got, "seconds": round(time.time() - t0, 3),
                 "aiortc_controlled": controlled}
        result["subscriptions"].append(entry)
        ok = ok and got >= args.frames and sub.iceConnectionState == "completed"
        await sub.close()
        await loop.run_in_executor(None, janus.post, "/%d/%d" % (janus.session, handle), {"janus": "detach"})
    await pub.close()
    await loop.run_in_executor(None, janus.post, "/%d" % janus.session, {"janus": "destroy"})
    result["ok"] = ok
    print(json.dumps(result))
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True, help="the Janus HTTP API, e.g. http://127.0.0.1:8088/janus")
    p.add_argument("--room", default="aiortc")
    p.add_argument("--subscriptions", type=int, default=8)
    p.add_argument("--frames", type=int, default=50, help="audio frames (20 ms) each subscription must receive")
    args = p.parse_args()
    sys.exit(asyncio.run(asyncio.wait_for(run(args), 240)))


if __name__ == "__main__":
    main()
