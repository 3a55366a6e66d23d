package dev.baton.gateway.admission;

/**
 * User-supplied text made safe for a log line: a user name an attacker typed can hold line breaks (forged log
 * lines), terminal escapes or megabytes. Control and separator characters become {@code ?}, and the text is cut to
 * 64 characters with an ellipsis.
 */
public final class LogSafe {
    private static final int MAX = 64;

    private LogSafe() {
    }

    /** {@code text} safe to log; {@code "(none)"} for null. */
    public static String name(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX + 1));
        for (int i = 0; i < text.length() && out.length() < MAX; ) {
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            boolean unsafe = Character.isISOControl(cp) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
            out.appendCodePoint(unsafe ? '?' : cp);
            i += Character.charCount(cp);
        }
        if (text.codePointCount(0, text.length()) > MAX) {
            out.append('…');
        }
        return out.toString();
    }
}
