package org.janussfu.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The live dashboard's static files — {@code GET /admin/dashboard} (the page), {@code /admin/dashboard.js} and
 * {@code /admin/dashboard.css} — read once from the jar ({@code src/main/resources/dashboard/}) and served by the
 * admin HTTP listener's event loop. The files hold no data: the page asks for the admin secret when the server wants
 * one and fetches everything with the {@code dashboard} admin request ({@link DashboardSnapshot}), so it is exactly
 * as protected as the Admin API. A strict Content-Security-Policy allows only these same-origin files and requests
 * to the same origin (no inline script, nothing from elsewhere, no framing).
 */
final class DashboardPage {
    static final String PATH = "/admin/dashboard";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Buffer html = load("dashboard.html");
    private final Buffer js = load("dashboard.js");
    private final Buffer css = load("dashboard.css");

    void mount(Router router) {
        router.get(PATH).handler(ctx -> send(ctx, html, "text/html; charset=utf-8"));
        router.get(PATH + ".js").handler(ctx -> send(ctx, js, "text/javascript; charset=utf-8"));
        router.get(PATH + ".css").handler(ctx -> send(ctx, css, "text/css; charset=utf-8"));
    }

    private static void send(RoutingContext ctx, Buffer body, String type) {
        ctx.response()
                .putHeader("Content-Type", type)
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-cache")
                .end(body);
    }

    private static Buffer load(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
