package dev.baton.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** The console's handling of plain HTTP: its response headers, the same-origin check, forms, redirects. */
final class ConsoleRequests {
    private ConsoleRequests() {
    }

    static void headers(Response response) {
        response.getHeaders().put("Content-Security-Policy", Console.CSP);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put("X-Frame-Options", "DENY");
    }

    /**
     * Whether the browser's {@code Origin} and {@code Sec-Fetch-Site}, when sent, say this same origin. Under
     * {@code Referrer-Policy: no-referrer} a browser sends {@code Origin: null} with its own forms, so that
     * value passes only when {@code Sec-Fetch-Site} says same-origin.
     */
    static boolean sameOrigin(Request request) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || origin.equals("null") && "same-origin".equals(site)) {
            return true;
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        return host != null && origin.equalsIgnoreCase(request.getHttpURI().getScheme() + "://" + host);
    }

    static Fields form(Request request) {
        try {
            return FormFields.getFields(request, 16, 16 * 1024);
        } catch (RuntimeException e) {
            return new Fields();
        }
    }

    static Map<String, String> query(Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Fields.Field f : Request.extractQueryParameters(request)) {
            out.put(f.getName(), f.getValue());
        }
        return out;
    }

    static boolean redirect(Response response, Callback callback, String to) {
        response.setStatus(303);
        response.getHeaders().put(HttpHeader.LOCATION, to);
        callback.succeeded();
        return true;
    }
}
