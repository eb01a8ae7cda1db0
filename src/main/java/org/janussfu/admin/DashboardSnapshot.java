package org.janussfu.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import org.janussfu.core.AdminView;

import java.util.ArrayList;
import java.util.List;

/**
 * The admin request {@code dashboard} (a janus-sfu extension, no Janus counterpart): one reply with what the live
 * dashboard shows, gathered from the same sources as {@code list_sessions}, {@code list_handles}, {@code handle_info}
 * and {@code message_plugin} {@code list_rooms}, so the page polls once a second instead of once per handle. At most
 * {@code admin.dashboard-max-handles} sessions are asked for their handles and at most that many handles are
 * described (lowest ids first); {@code truncated} says when some were left out. Each {@code handle_info} object is
 * the one {@code handle_info} answers, without its {@code sdps} (kept out of a reply that is sent every second).
 * Stateless; runs on the admin listener's event loop, every read hops to its owner's context through
 * {@link AdminView}. A handle that goes between the listing and its description is simply left out.
 */
final class DashboardSnapshot {
    static final String PLUGIN = "janus.plugin.sfu";

    private final AdminView view;
    private final int maxHandles;

    DashboardSnapshot(AdminView view, int maxHandles) {
        this.view = view;
        this.maxHandles = maxHandles;
    }

    /** The {@code dashboard} object; the future never fails (missing parts are left empty). */
    Future<ObjectNode> take() {
        List<Long> sessions = view.sessionIds();
        List<Long> asked = sessions.subList(0, Math.min(sessions.size(), maxHandles));
        List<Future<List<Long>>> lists = new ArrayList<>(asked.size());
        for (long s : asked) {
            lists.add(view.handleIds(s).otherwise(List.of()));
        }
        return Future.join(lists).transform(ignored -> {
            List<long[]> handles = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < asked.size(); i++) {
                List<Long> ids = lists.get(i).result();
                total += ids.size();
                for (long h : ids) {
                    if (handles.size() < maxHandles) {
                        handles.add(new long[]{asked.get(i), h});
                    }
                }
            }
            boolean truncated = asked.size() < sessions.size() || handles.size() < total;
            List<Future<ObjectNode>> infos = new ArrayList<>(handles.size());
            for (long[] sh : handles) {
                infos.add(view.handleInfo(sh[0], sh[1]).otherwise((ObjectNode) null));
            }
            Future<ObjectNode> rooms = view.messagePlugin(PLUGIN, AdminJson.JSON.objectNode().put("request", "list_rooms"))
                    .otherwise((ObjectNode) null);
            int handlesSeen = total;
            return Future.join(new ArrayList<>(infos)).transform(v -> rooms.map(r ->
                    build(sessions.size(), handlesSeen, truncated, infos, r)));
        });
    }

    private ObjectNode build(int sessions, int handles, boolean truncated, List<Future<ObjectNode>> infos, ObjectNode rooms) {
        ObjectNode d = AdminJson.JSON.objectNode();
        d.put("current_time", System.nanoTime() / 1000);
        d.put("sessions", sessions);
        d.put("handles", handles);
        d.put("max_handles", maxHandles);
        d.put("truncated", truncated);
        ArrayNode roomList = d.putArray("rooms");
        if (rooms != null && rooms.path("rooms").isArray()) {
            int n = 0;
            for (var r : rooms.path("rooms")) {
                if (n++ >= maxHandles) {
                    d.put("truncated", true);
                    break;
                }
                roomList.add(r);
            }
        }
        ArrayNode list = d.putArray("handle_info");
        for (Future<ObjectNode> f : infos) {
            ObjectNode info = f.result();
            if (info != null) {
                info.remove("sdps");
                list.add(info);
            }
        }
        return d;
    }
}
