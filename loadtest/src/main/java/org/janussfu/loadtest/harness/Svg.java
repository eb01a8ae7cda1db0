package org.janussfu.loadtest.harness;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG line charts for the self-contained report (no scripts, fonts or external resources): x = N, one or more
 * series (solid or dashed), nice axis ticks, a legend, and a dot on every point so single-step scenarios still show.
 * Stateless; the Report's thread.
 */
final class Svg {
    private Svg() {
    }

    record Series(String name, String color, boolean dashed, List<double[]> points) {
    }

    private static final int W = 600;
    private static final int H = 320;
    private static final int L = 64;
    private static final int R = 16;
    private static final int T = 36;
    private static final int B = 72;

    static String chart(String title, String xLabel, String yLabel, List<Series> series) {
        double xmin = Double.MAX_VALUE;
        double xmax = -Double.MAX_VALUE;
        double ymax = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xmin = Math.min(xmin, p[0]);
                xmax = Math.max(xmax, p[0]);
                ymax = Math.max(ymax, p[1]);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' "
                + "font-family='sans-serif' font-size='12' role='img'><title>%s</title>", W, H, W, H, esc(title)));
        sb.append(String.format(Locale.ROOT, "<rect width='%d' height='%d' fill='#fff'/>", W, H));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='20' font-size='14' font-weight='bold'>%s</text>", L, esc(title)));
        if (xmin == Double.MAX_VALUE) {
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#888'>no data</text></svg>", W / 2 - 30, H / 2));
            return sb.toString();
        }
        if (xmax == xmin) {
            xmin -= 1;
            xmax += 1;
        }
        double ystep = niceStep(ymax <= 0 ? 1 : ymax, 5);
        double ytop = Math.max(ystep, Math.ceil(ymax / ystep) * ystep);
        double xstep = Math.max(1, niceStep(xmax - xmin, 8));
        int pw = W - L - R;
        int ph = H - T - B;
        double x0 = xmin;
        double x1 = xmax;
        java.util.function.DoubleUnaryOperator sx = x -> L + (x - x0) / (x1 - x0) * pw;
        java.util.function.DoubleUnaryOperator sy = y -> T + ph - y / ytop * ph;
        for (double y = 0; y <= ytop + 1e-9; y += ystep) {
            double py = sy.applyAsDouble(y);
            sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#e5e5e5'/>", L, py, W - R, py));
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end' fill='#444'>%s</text>", L - 6, py + 4, fmt(y)));
        }
        for (double x = Math.ceil(xmin / xstep) * xstep; x <= xmax + 1e-9; x += xstep) {
            double px = sx.applyAsDouble(x);
            sb.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#999'/>", px, T + ph, px, T + ph + 4));
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle' fill='#444'>%s</text>", px, T + ph + 17, fmt(x)));
        }
        sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, T + ph, W - R, T + ph));
        sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, T, L, T + ph));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle' fill='#222'>%s</text>", L + pw / 2, T + ph + 31, esc(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text transform='translate(14,%d) rotate(-90)' text-anchor='middle' fill='#222'>%s</text>",
                T + ph / 2, esc(yLabel)));
        int lx = L;
        int row = 0;
        for (Series s : series) {
            int width = 30 + 7 * s.name().length() + 14;
            if (lx + width > W - R && lx > L) {
                lx = L;
                row++;
            }
            String dash = s.dashed() ? " stroke-dasharray='6,4'" : "";
            StringBuilder pts = new StringBuilder();
            for (double[] p : s.points()) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1])));
            }
            sb.append(String.format(Locale.ROOT, "<polyline points='%s' fill='none' stroke='%s' stroke-width='2'%s/>", pts, s.color(), dash));
            for (double[] p : s.points()) {
                sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s'><title>%s N=%s: %s</title></circle>",
                        sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1]), s.color(), esc(s.name()), fmt(p[0]), fmt(p[1])));
            }
            int ly = H - 22 + 15 * Math.min(row, 1);
            sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='2'%s/>", lx, ly - 4, lx + 22, ly - 4, s.color(), dash));
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#222'>%s</text>", lx + 26, ly, esc(s.name())));
            lx += width;
        }
        sb.append("</svg>");
        return sb.toString();
    }

    static double niceStep(double range, int ticks) {
        double raw = range / Math.max(1, ticks);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        double step = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
        return step * mag;
    }

    static String fmt(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) < 1e9) {
            return Long.toString(Math.round(v));
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
