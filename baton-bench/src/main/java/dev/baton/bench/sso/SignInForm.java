package dev.baton.bench.sso;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The password form of a sign-in page, read from its HTML the way a browser without JavaScript submits it:
 * the form that holds an {@code <input type="password">}, its action resolved against the page's address,
 * and the fields it would send: hidden inputs with their values, each {@code <select>} with its selected (else
 * first) option, the text or e-mail input as the user name and the password input as the password. Check
 * boxes are left unticked. Works on Keycloak's login page and on Baton's {@code /sign-in} page alike; it is a
 * few regular expressions, enough for well-formed pages, not a general HTML parser. Immutable.
 *
 * @param action where the form posts, absolute
 * @param fields the fields as the browser sends them, in page order
 */
record SignInForm(URI action, Map<String, String> fields) {
    private static final Pattern FORM = Pattern.compile("(?is)<form\\b([^>]*)>(.*?)</form>");
    private static final Pattern INPUT = Pattern.compile("(?is)<input\\b([^>]*)>");
    private static final Pattern SELECT = Pattern.compile("(?is)<select\\b([^>]*)>(.*?)</select>");
    private static final Pattern OPTION = Pattern.compile("(?is)<option\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("(?is)([a-z_:][-a-z0-9_:.]*)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"'>]+))?");

    /**
     * Reads the password form of {@code html}, served at {@code page}, filled in with {@code username} and
     * {@code password}; empty when the page has no form with a password field.
     */
    static Optional<SignInForm> read(String html, URI page, String username, String password) {
        Matcher form = FORM.matcher(html);
        while (form.find()) {
            String body = form.group(2);
            if (!hasPasswordInput(body)) {
                continue;
            }
            String action = attributes(form.group(1)).getOrDefault("action", "");
            URI target = action.isEmpty() ? page : page.resolve(unescape(action));
            return Optional.of(new SignInForm(target, fields(body, username, password)));
        }
        return Optional.empty();
    }

    private static boolean hasPasswordInput(String formBody) {
        Matcher input = INPUT.matcher(formBody);
        while (input.find()) {
            if ("password".equals(attributes(input.group(1)).get("type"))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> fields(String formBody, String username, String password) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(formBody);
        while (input.find()) {
            Map<String, String> a = attributes(input.group(1));
            String name = a.get("name");
            if (name == null || a.containsKey("disabled")) {
                continue;
            }
            switch (a.getOrDefault("type", "text")) {
                case "hidden" -> fields.put(name, unescape(a.getOrDefault("value", "")));
                case "password" -> fields.put(name, password);
                case "text", "email" -> fields.put(name, username);
                default -> { } // check boxes, radio buttons, submit buttons: a plain sign-in sends none of them
            }
        }
        Matcher select = SELECT.matcher(formBody);
        while (select.find()) {
            String name = attributes(select.group(1)).get("name");
            if (name != null) {
                selectedOption(select.group(2)).ifPresent(value -> fields.put(name, value));
            }
        }
        return fields;
    }

    private static Optional<String> selectedOption(String selectBody) {
        Matcher option = OPTION.matcher(selectBody);
        String first = null;
        while (option.find()) {
            Map<String, String> a = attributes(option.group(1));
            String value = unescape(a.getOrDefault("value", ""));
            if (a.containsKey("selected")) {
                return Optional.of(value);
            }
            first = first == null ? value : first;
        }
        return Optional.ofNullable(first);
    }

    /** The attributes of a tag, names lower-cased, values unquoted but still HTML-escaped. */
    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            String value = m.group(2) == null ? "" : m.group(2);
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
                value = value.substring(1, value.length() - 1);
            }
            attributes.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), value);
        }
        return attributes;
    }

    /** Undoes the character references a server writes into attribute values. */
    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher ref = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);").matcher(text);
        StringBuilder out = new StringBuilder();
        while (ref.find()) {
            String r = ref.group(1);
            String c = switch (r) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> Character.toString(r.startsWith("#x") ? Integer.parseInt(r.substring(2), 16) : Integer.parseInt(r.substring(1)));
            };
            ref.appendReplacement(out, Matcher.quoteReplacement(c));
        }
        ref.appendTail(out);
        return out.toString();
    }
}
