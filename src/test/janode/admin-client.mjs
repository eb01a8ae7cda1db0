// Meetecho's janode as a third-party Admin API client, run by JanodeAdminIT:
//   node admin-client.mjs <ws-url> <admin-secret> <capture-dir> [--janode-log=warn]
// Over janus-admin-protocol it first tries list_sessions with a wrong secret (must be refused), then with the right
// one: info, list_sessions, list_handles of every session and handle_info of every handle, start_pcap into the
// server's capture directory and stop_pcap (accepted), start_pcap into /tmp (outside it: janode must get Janus' 490
// error), then stays idle for 16 s — long enough for janode's
// WebSocket ping keepalive (every 10 s, 5 s to answer) — and lists the sessions again. Prints one line
// "RESULT {...}" with what janode returned, and exits 0; any janode failure prints "FAILED ..." and exits 1.
import Janode from "janode";

const [url, secret, captureDir] = process.argv.slice(2).filter(a => !a.startsWith("--"));

async function admin(apisecret) {
  return Janode.connect({ is_admin: true, address: { url, apisecret }, max_retries: 0, retry_time_secs: 1 });
}

async function main() {
  const result = { wrongSecret: null, info: null, sessions: [], handles: {}, infos: [], pcap: null, pcapStop: null,
                   pcapOutside: null, afterIdle: null };

  const wrong = await admin(secret + "-wrong");
  try {
    await wrong.listSessions();
    result.wrongSecret = "accepted";
  } catch (e) {
    result.wrongSecret = e.message;
  }
  await wrong.close();

  const conn = await admin(secret);
  const info = await conn.getInfo();
  result.info = { janus: info.janus, name: info.name, version: info.version };
  const { sessions } = await conn.listSessions();
  result.sessions = sessions;
  for (const s of sessions) {
    const { handles } = await conn.listHandles(s);
    result.handles[s] = handles;
    for (const h of handles) {
      const reply = await conn.handleInfo(s, h);
      const i = reply.info || {};
      result.infos.push({ session_id: reply.session_id, handle_id: reply.handle_id, plugin: i.plugin,
                          user_id: i.plugin_specific && i.plugin_specific.user_id,
                          room_id: i.plugin_specific && i.plugin_specific.room_id,
                          has_flags: typeof i.flags === "object" });
    }
  }
  const [s0, h0] = [sessions[0], result.handles[sessions[0]][0]];
  try {
    await conn.startPcap(s0, h0, captureDir, "janode.pcap");
    result.pcap = "accepted";
  } catch (e) {
    result.pcap = e.message;
  }
  try {
    await conn.stopPcap(s0, h0);
    result.pcapStop = "accepted";
  } catch (e) {
    result.pcapStop = e.message;
  }
  try {
    await conn.startPcap(s0, h0, "/tmp", "janode.pcap");
    result.pcapOutside = "accepted";
  } catch (e) {
    result.pcapOutside = e.message;
  }
  let closed = false;
  conn.once(Janode.EVENT.CONNECTION_CLOSED, () => { closed = true; });
  conn.once(Janode.EVENT.CONNECTION_ERROR, () => { closed = true; });
  await new Promise(ok => setTimeout(ok, 16_000));
  result.afterIdle = closed ? "connection closed while idle" : (await conn.listSessions()).sessions;
  await conn.close();
  console.log("RESULT " + JSON.stringify(result));
}

main().then(() => process.exit(0), e => {
  console.log("FAILED " + (e && e.stack || e));
  process.exit(1);
});
