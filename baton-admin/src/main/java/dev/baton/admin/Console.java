package dev.baton.admin;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The web console under {@code /console}: it signs operators in itself (a form and a session cookie). */
interface Console {
    /** Answers a request whose path starts with {@code /console}. */
    boolean handle(Request request, Response response, Callback callback, OperatorAuthentication authentication)
            throws Exception;
}
