package dev.jrsync.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Value-level helpers shared by the rsyncd.conf classes. Stateless, thread-safe. */
final class ConfText {
    private ConfText() {
    }

    /** C isspace() in the "C" locale. */
    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /** Mirrors C atoi(): leading whitespace, optional sign, digits; anything else ends the number; overflow clamps. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            value = value * 10 + (s.charAt(i) - '0');
            if (value > (long) Integer.MAX_VALUE + 1) {
                value = (long) Integer.MAX_VALUE + 1;
            }
            i++;
        }
        value = negative ? -value : value;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    /** Boolean words accepted by stock, compared like strwiEQ (case- and whitespace-insensitive). */
    enum Bool3 { TRUE, FALSE, UNSET, INVALID }

    /** Mirrors loadparm.c:set_boolean(): yes/true/1, no/false/0, and for tri-state params unset/-1. */
    static Bool3 parseBool(String value, boolean allowUnset) {
        String k = stripAllSpace(value).toLowerCase(Locale.ROOT);
        return switch (k) {
            case "yes", "true", "1" -> Bool3.TRUE;
            case "no", "false", "0" -> Bool3.FALSE;
            case "unset", "-1" -> allowUnset ? Bool3.UNSET : Bool3.INVALID;
            default -> Bool3.INVALID;
        };
    }

    static String stripAllSpace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                sb.append(s.charAt(i));
            }
        }
        return sb.toString();
    }

    /**
     * Splits a list the way stock splits "auth users" and "gid": on spaces, commas, tabs, CR and LF; or, when the
     * value (after leading whitespace) starts with a comma, on commas alone with each token trimmed, so that names
     * may contain spaces. Empty tokens are never returned. Mirrors util1.c:conf_strtok().
     */
    static List<String> confTokens(String value) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < value.length() && isSpace(value.charAt(i))) {
            i++;
        }
        if (i < value.length() && value.charAt(i) == ',') {
            for (String part : value.substring(i + 1).split(",", -1)) {
                String t = trim(part);
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
            return out;
        }
        return split(value.substring(i), " ,\t\r\n");
    }

    /** strtok()-style split on any of the delimiter characters, dropping empty tokens. */
    static List<String> split(String value, String delimiters) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= value.length(); i++) {
            boolean delim = i == value.length() || delimiters.indexOf(value.charAt(i)) >= 0;
            if (delim) {
                if (start >= 0) {
                    out.add(value.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        return out;
    }

    static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    /**
     * Expands {@code %VAR%} references as stock does for plain (non-hook) values: '%' followed by an upper-case
     * ASCII letter up to the next '%' is replaced by the variable's value if it exists; otherwise the text is kept
     * verbatim, and "%%" is not collapsed. Mirrors loadparm.c:expand_vars() with shell_escape = 0 (the shell-hook
     * quoting variant is the hook runner's business).
     *
     * @param env variable lookup returning null for an unset variable
     */
    static String expandVars(String value, UnaryOperator<String> env) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() + 16);
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '%' && i + 1 < value.length() && value.charAt(i + 1) >= 'A' && value.charAt(i + 1) <= 'Z') {
                int close = value.indexOf('%', i + 1);
                if (close > 0) {
                    String replacement = env.apply(value.substring(i + 1, close));
                    if (replacement != null) {
                        sb.append(replacement);
                        i = close + 1;
                        continue;
                    }
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }
}
