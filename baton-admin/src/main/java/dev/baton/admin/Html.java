package dev.baton.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Pieces of the console's HTML: escaping, the page frame with its navigation, and bar charts as inline SVG.
 * Every value that did not come from this class's own literals goes through {@link #esc}.
 */
public final class Html {
    private Html() {
    }

    /** Who is signed in, for the page frame; {@code null} on the sign-in page. */
    record Viewer(Operator operator, String csrf) {
    }

    /** Text or an attribute value, escaped. */
    public static String esc(Object value) {
        String s = value == null ? "" : value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A query parameter value. */
    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The hidden form field with the session's synchronizer token. */
    static String csrfField(Viewer viewer) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(viewer.csrf()) + "\">";
    }

    /** A whole page: {@code current} is the navigation entry to mark ({@code dashboard}, {@code sessions}, ...). */
    static String page(String title, String current, Viewer viewer, boolean storage, boolean browser, String body) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · Baton console</title>")
                .append("<link rel=\"stylesheet\" href=\"/console/static/console.css\"></head>\n<body>")
                .append("<a class=\"skip\" href=\"#main\">Skip to the page content</a>")
                .append("<header class=\"top\"><p class=\"brand\">Baton console</p>");
        if (viewer != null) {
            b.append(nav(current, storage, browser)).append(who(viewer));
        }
        b.append("</header>\n<main id=\"main\"><h1>").append(esc(title)).append("</h1>\n").append(body)
                .append("</main></body></html>\n");
        return b.toString();
    }

    private static String nav(String current, boolean storage, boolean browser) {
        StringBuilder b = new StringBuilder("<nav aria-label=\"Console sections\"><ul>");
        link(b, current, "dashboard", "/console/dashboard", "Dashboard");
        link(b, current, "sessions", "/console/sessions", "Sessions");
        if (browser) {
            link(b, current, "browser", "/console/browser-sessions", "Browser sign-ins");
        }
        if (storage) {
            link(b, current, "storage", "/console/storage", "Storage");
        }
        return b.append("</ul></nav>").toString();
    }

    private static void link(StringBuilder b, String current, String key, String href, String label) {
        b.append("<li><a href=\"").append(href).append('"')
                .append(key.equals(current) ? " aria-current=\"page\"" : "").append('>').append(label).append("</a></li>");
    }

    private static String who(Viewer viewer) {
        return "<form class=\"who\" method=\"post\" action=\"/console/sign-out\"><span>Signed in as <strong>"
                + esc(viewer.operator().name()) + "</strong> (" + esc(viewer.operator().role().label()) + ")</span> "
                + csrfField(viewer) + "<button type=\"submit\">Sign out</button></form>";
    }

    /**
     * A bar chart of 60 per-minute values, oldest first, as an accessible inline SVG inside a figure whose
     * caption says what it shows and sums it up in words.
     */
    static String barChart(String id, String title, String unitPerMinute, long[] values, String summary) {
        long max = 0;
        for (long v : values) {
            max = Math.max(max, v);
        }
        int width = 1200;
        int height = 90;
        int top = 4;
        StringBuilder b = new StringBuilder(4096);
        b.append("<figure class=\"chart\" aria-labelledby=\"").append(id).append("-caption\">")
                .append("<figcaption id=\"").append(id).append("-caption\"><strong>").append(esc(title))
                .append("</strong> — ").append(esc(summary + "; peak " + max + " " + unitPerMinute + " in a minute"))
                .append("</figcaption>")
                .append("<svg viewBox=\"0 0 ").append(width).append(' ').append(height + 20)
                .append("\" role=\"img\" aria-label=\"").append(esc(title + ": " + summary)).append("\">");
        double barWidth = (double) width / values.length;
        for (int i = 0; i < values.length; i++) {
            double h = max == 0 ? 0 : (double) values[i] / max * (height - top);
            b.append(String.format(java.util.Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
                    i * barWidth + 1, height - h, barWidth - 2, h,
                    esc((values.length - 1 - i) + " min ago: " + values[i] + " " + unitPerMinute)));
        }
        b.append("<line class=\"axis\" x1=\"0\" y1=\"").append(height).append("\" x2=\"").append(width)
                .append("\" y2=\"").append(height).append("\"/>")
                .append("<text class=\"label\" x=\"0\" y=\"").append(height + 16).append("\">60 min ago</text>")
                .append("<text class=\"label end\" x=\"").append(width).append("\" y=\"").append(height + 16)
                .append("\">now</text></svg></figure>\n");
        return b.toString();
    }
}
