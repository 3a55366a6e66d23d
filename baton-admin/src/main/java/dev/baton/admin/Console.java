package dev.baton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.core.BatonException;
import dev.baton.core.ResultCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /console}: server-rendered HTML with no script at all, so its
 * Content-Security-Policy forbids scripts. Operators sign in with the form (or their client certificate) and
 * get the {@code baton-console} cookie (see {@link ConsoleSessions}). Pages are built by calling the admin
 * API's own {@link ApiRoute} handlers as the signed-in operator, so a route's role is checked in one place
 * (see {@link RouteCalls}): an auditor is shown no revoke button, and a forged revoke is refused there.
 * Every POST must carry the session's synchronizer token, and an {@code Origin} or {@code Sec-Fetch-Site}
 * header, when sent, must say same-origin. Build with {@link #builder()}; give it to
 * {@link AdminServer.Builder#console(Console)}.
 */
public final class Console {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    static final String COOKIE = "baton-console";
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    static final int PAGE_SIZE = 25;

    private final List<ApiRoute> routes;
    private final DashboardSource dashboard;
    private final Supplier<? extends Map<String, ?>> storage;
    private final InstantSource clock;
    private final ConsoleSessions sessions;
    private final MinuteSeries held = new MinuteSeries(false);
    private final MinuteSeries signIns = new MinuteSeries(true);
    private final MinuteSeries migrations = new MinuteSeries(true);
    private final byte[] css;
    private ScheduledExecutorService sampler;

    private Console(Builder b) {
        this.routes = List.copyOf(b.routes);
        this.dashboard = b.dashboard;
        this.storage = b.storage;
        this.clock = b.clock;
        this.sessions = new ConsoleSessions(clock);
        sample(); // counts from here on are the console's: the first reading is the baseline
        try (InputStream in = Console.class.getResourceAsStream("/dev/baton/admin/console.css")) {
            this.css = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("console.css is part of the jar", e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts reading the dashboard source every 10 seconds (the admin listener calls it on start). */
    synchronized void start() {
        if (dashboard != null && sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "baton-console-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(this::sample, 0, 10, TimeUnit.SECONDS);
        }
    }

    synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
        }
    }

    /** Reads the dashboard source once into the per-minute series. */
    void sample() {
        if (dashboard == null) {
            return;
        }
        try {
            long minute = clock.millis() / 60_000;
            held.observe(minute, dashboard.sessionsHeld());
            signIns.observe(minute, dashboard.signIns());
            migrations.observe(minute, dashboard.migrations());
        } catch (RuntimeException e) {
            LOG.warn("console dashboard: cannot read the counters: {}", e.toString());
        }
    }

    /** Answers a request whose path starts with {@code /console}. */
    boolean handle(Request request, Response response, Callback callback, OperatorAuthentication authentication,
                   AuditLog audit) throws Exception {
        String path = Request.getPathInContext(request);
        ConsoleRequests.headers(response);
        boolean post = request.getMethod().equals("POST");
        readBody(request, post);
        if (!post && !request.getMethod().equals("GET")) {
            return page(response, callback, 405, "Method not allowed", null,
                    ConsolePages.error("The console answers GET and POST only.", "Use the links and buttons of the console."));
        }
        if (path.equals("/console/static/console.css")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/css; charset=utf-8");
            response.write(true, ByteBuffer.wrap(css), callback);
            return true;
        }
        if (post && !ConsoleRequests.sameOrigin(request)) {
            return page(response, callback, 403, "Request refused", null, ConsolePages.error(
                    "This form was sent from another web site, so the console refused it: only the console's own "
                            + "pages may change anything.",
                    "If you meant to do this, open the console yourself and use its own buttons."));
        }
        if (path.equals("/console/sign-in")) {
            return post ? signIn(request, response, callback, authentication, audit)
                    : page(response, callback, 200, "Sign in", null, ConsolePages.signIn(null, ""));
        }
        Optional<ConsoleSessions.Entry> session = session(request, response, authentication);
        if (session.isEmpty()) {
            return ConsoleRequests.redirect(response, callback, "/console/sign-in");
        }
        Html.Viewer viewer = new Html.Viewer(session.get().operator, session.get().csrf);
        if (!post) {
            return get(request, response, callback, path, viewer, audit);
        }
        Fields form = ConsoleRequests.form(request);
        if (!session.get().csrfMatches(form.getValue("csrf"))) {
            return page(response, callback, 403, "Request refused", viewer, ConsolePages.error(
                    "The form's security token is missing or out of date, so nothing was changed.",
                    "Go back, reload the page, and try again."));
        }
        return post(request, response, callback, path, viewer, form, audit);
    }

    /**
     * Reads a POST's form (bounded, kept on the request) before any refusal, and drops what is left of any body,
     * so the connection stays in order for the browser's next request.
     */
    private static void readBody(Request request, boolean post) {
        if (post) {
            ConsoleRequests.form(request);
        }
        AdminHandler.drain(request);
    }

    private Optional<ConsoleSessions.Entry> session(Request request, Response response, OperatorAuthentication auth) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(COOKIE)) {
                Optional<ConsoleSessions.Entry> found = sessions.find(c.getValue());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        Optional<Operator> byCert = auth.byCertificate(AdminHandler.peerCertificates(request));
        return byCert.map(op -> signedIn(response, op));
    }

    private ConsoleSessions.Entry signedIn(Response response, Operator operator) {
        ConsoleSessions.Created created = sessions.create(operator);
        response.getHeaders().add(HttpHeader.SET_COOKIE, COOKIE + "=" + created.token()
                + "; Path=/console; Secure; HttpOnly; SameSite=Strict");
        return created.entry();
    }

    private boolean signIn(Request request, Response response, Callback callback, OperatorAuthentication auth,
                           AuditLog audit) throws Exception {
        Fields form = ConsoleRequests.form(request);
        String name = Optional.ofNullable(form.getValue("name")).orElse("").strip();
        String given = Optional.ofNullable(form.getValue("password")).orElse("");
        char[] password = given.toCharArray();
        OperatorAuthentication.Outcome outcome;
        try {
            outcome = auth.password(name, password, Request.getRemoteAddr(request));
        } finally {
            Arrays.fill(password, '\0');
        }
        switch (outcome) {
            case OperatorAuthentication.Known k -> {
                signedIn(response, k.operator());
                return ConsoleRequests.redirect(response, callback, "/console/dashboard");
            }
            case OperatorAuthentication.Locked l -> {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(l.retryAfter().toSeconds()));
                return page(response, callback, 429, "Sign in", null, ConsolePages.signIn("Too many failed sign-ins "
                        + "from your address. Wait " + l.retryAfter().toMinutes() + " minutes, then try again.", name));
            }
            case OperatorAuthentication.Unknown u -> {
                audit.adminSignInFailed(Request.getRemoteAddr(request));
                return page(response, callback, 401, "Sign in", null, ConsolePages.signIn("That name and password "
                        + "do not match an operator. Check both (the password is case-sensitive) and try again.", name));
            }
        }
    }

    private boolean get(Request request, Response response, Callback callback, String path, Html.Viewer viewer,
                        AuditLog audit) throws Exception {
        Map<String, String> query = ConsoleRequests.query(request);
        return switch (path) {
            case "/console", "/console/" -> ConsoleRequests.redirect(response, callback, "/console/dashboard");
            case "/console/dashboard" -> dashboardPage(response, callback, viewer);
            case "/console/sessions" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.sessions(this, viewer, query, audit, ConsoleViews.Kind.AGENT));
            case "/console/browser-sessions" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.sessions(this, viewer, query, audit, ConsoleViews.Kind.BROWSER));
            case "/console/user" -> attempt(response, callback, viewer, () -> ConsoleViews.user(this, viewer, query, audit));
            case "/console/revoke-session" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.confirmSession(this, viewer, query, audit, ConsoleViews.Kind.AGENT));
            case "/console/revoke-browser-session" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.confirmSession(this, viewer, query, audit, ConsoleViews.Kind.BROWSER));
            case "/console/revoke-user" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.confirmUser(this, viewer, query, audit));
            case "/console/storage" -> storagePage(response, callback, viewer);
            default -> notFound(response, callback, viewer);
        };
    }

    private boolean post(Request request, Response response, Callback callback, String path, Html.Viewer viewer,
                         Fields form, AuditLog audit) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        form.forEach(f -> fields.put(f.getName(), f.getValue()));
        return switch (path) {
            case "/console/sign-out" -> {
                for (HttpCookie c : Request.getCookies(request)) {
                    if (c.getName().equals(COOKIE)) {
                        sessions.remove(c.getValue());
                    }
                }
                response.getHeaders().add(HttpHeader.SET_COOKIE, COOKIE
                        + "=; Path=/console; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
                yield ConsoleRequests.redirect(response, callback, "/console/sign-in");
            }
            case "/console/revoke-session" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.revokeSession(this, viewer, fields, audit, ConsoleViews.Kind.AGENT));
            case "/console/revoke-browser-session" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.revokeSession(this, viewer, fields, audit, ConsoleViews.Kind.BROWSER));
            case "/console/revoke-user" -> attempt(response, callback, viewer,
                    () -> ConsoleViews.revokeUser(this, viewer, fields, audit));
            default -> notFound(response, callback, viewer);
        };
    }

    private boolean dashboardPage(Response response, Callback callback, Html.Viewer viewer) {
        if (dashboard == null) {
            return page(response, callback, 200, "Dashboard", viewer, "<p>This listener has no dashboard figures. "
                    + "Use <a href=\"/console/sessions\">Sessions</a> to look at the sessions held here.</p>");
        }
        sample();
        long minute = clock.millis() / 60_000;
        return page(response, callback, 200, "Dashboard", viewer, ConsolePages.dashboard(dashboard.sessionsHeld(),
                held.lastHour(minute), signIns.lastHour(minute), migrations.lastHour(minute)));
    }

    private boolean storagePage(Response response, Callback callback, Html.Viewer viewer) {
        if (storage == null) {
            return notFound(response, callback, viewer);
        }
        return page(response, callback, 200, "Storage and cleanup", viewer, ConsolePages.storage(storage.get()));
    }

    private boolean notFound(Response response, Callback callback, Html.Viewer viewer) {
        return page(response, callback, 404, "Page not found", viewer, ConsolePages.error(
                "The console has no page at this address.", "Use the menu at the top of the page."));
    }

    /** A page an API call builds: its errors become pages that say what went wrong and what to do. */
    @FunctionalInterface
    interface View {
        ConsoleViews.Shown show() throws Exception;
    }

    private boolean attempt(Response response, Callback callback, Html.Viewer viewer, View view) {
        try {
            ConsoleViews.Shown shown = view.show();
            return page(response, callback, 200, shown.title(), viewer, shown.body(), shown.current());
        } catch (AdminException e) {
            String advice = e.status() == 403 ? "Your role does not allow this; ask an operator with the admin role."
                    : e.status() == 404 ? "It may have ended or been revoked already; search again."
                    : "Correct the value and try again.";
            return page(response, callback, e.status(), "Not done", viewer, ConsolePages.error(e.getMessage(), advice));
        } catch (BatonException e) {
            boolean down = e.code() == ResultCode.UNAVAILABLE;
            return page(response, callback, down ? 503 : 400, "Not done", viewer, ConsolePages.error(e.getMessage(),
                    down ? "The session store is not reachable; try again in a minute." : "Correct the value and try again."));
        } catch (Exception e) {
            LOG.error("console page failed", e);
            return page(response, callback, 500, "Not done", viewer, ConsolePages.error("Something went wrong inside "
                    + "the listener.", "Try again; if it keeps failing, the listener's log has the details."));
        }
    }

    /** The operation at {@code method path} of the API, as {@code viewer}, as JSON; empty if no route has it. */
    Optional<JsonNode> call(Html.Viewer viewer, String method, String path, Map<String, String> query, AuditLog audit)
            throws Exception {
        Optional<RouteCalls.Match> match = RouteCalls.find(routes, method, path);
        if (match.isEmpty()) {
            return Optional.empty();
        }
        JsonNode body = method.equals("GET") ? null : AdminHandler.JSON.createObjectNode();
        return Optional.of(AdminHandler.JSON.valueToTree(RouteCalls.call(match.get(), viewer.operator(), query, body, audit)));
    }

    /** Whether {@code viewer} may call the operation at {@code method path}: false if no route has it. */
    boolean may(Html.Viewer viewer, String method, String path) {
        return RouteCalls.find(routes, method, path).map(m -> viewer.operator().role().includes(m.route().role()))
                .orElse(false);
    }

    private boolean page(Response response, Callback callback, int status, String title, Html.Viewer viewer, String body) {
        return page(response, callback, status, title, viewer, body, "");
    }

    private boolean page(Response response, Callback callback, int status, String title, Html.Viewer viewer,
                         String body, String current) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        boolean browser = RouteCalls.find(routes, "GET", ConsoleViews.Kind.BROWSER.api()).isPresent();
        String html = Html.page(title, current, viewer, storage != null, browser, body);
        response.write(true, StandardCharsets.UTF_8.encode(html), callback);
        return true;
    }

    /** What the console shows and whom it calls. */
    public static final class Builder {
        private final java.util.ArrayList<ApiRoute> routes = new java.util.ArrayList<>();
        private DashboardSource dashboard;
        private Supplier<? extends Map<String, ?>> storage;
        private InstantSource clock = InstantSource.system();

        /** The admin API operations whose handlers build the pages (a gateway's {@code GatewayAdmin.routes()}). */
        public Builder routes(List<ApiRoute> more) {
            routes.addAll(more);
            return this;
        }

        /** The dashboard's figures; without it the dashboard says there are none. */
        public Builder dashboard(DashboardSource source) {
            this.dashboard = source;
            return this;
        }

        /** Storage and cleanup status as label to value, shown on its own page; without it there is no such page. */
        public Builder storage(Supplier<? extends Map<String, ?>> status) {
            this.storage = status;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Console build() {
            return new Console(this);
        }
    }
}
