package dev.jrsync.daemon.config;

/**
 * rsync's shell-style matcher: {@code *} (not across '/'), {@code **} (across '/'), {@code ?}, {@code [...]} with
 * ranges, {@code !}/{@code ^} negation and {@code [:class:]}, and backslash escapes. Mirrors lib/wildmatch.c of
 * rsync 3.5.0 (including its case folding of pattern characters in the case-insensitive variant). Stateless.
 */
final class Wildmatch {
    private static final int NOMATCH = 0;
    private static final int MATCH = 1;
    private static final int ABORT_ALL = -1;
    private static final int ABORT_TO_STARSTAR = -2;

    private Wildmatch() {
    }

    /** Case-sensitive match (wildmatch()). */
    static boolean matches(String pattern, String text) {
        return run(pattern, 0, text, 0, false) == MATCH;
    }

    /** Case-insensitive match (iwildmatch()): ASCII letters of both pattern and text are folded. */
    static boolean matchesIgnoreCase(String pattern, String text) {
        return run(pattern, 0, text, 0, true) == MATCH;
    }

    private static char fold(char c, boolean fold) {
        return fold && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static int run(String p, int pi, String t, int ti, boolean fold) {
        for (; pi < p.length(); pi++, ti++) {
            char pc = p.charAt(pi);
            if (ti >= t.length() && pc != '*') {
                return ABORT_ALL;
            }
            char tc = ti < t.length() ? fold(t.charAt(ti), fold) : '\0';
            switch (pc) {
                case '?' -> {
                    if (tc == '/') {
                        return NOMATCH;
                    }
                }
                case '*' -> {
                    boolean doubleStar = pi + 1 < p.length() && p.charAt(pi + 1) == '*';
                    while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
                        pi++;
                    }
                    pi++;
                    if (pi >= p.length()) {
                        return doubleStar || t.indexOf('/', ti) < 0 ? MATCH : NOMATCH;
                    }
                    for (; ti <= t.length(); ti++) {
                        if (ti == t.length()) {
                            return ABORT_ALL;
                        }
                        int r = run(p, pi, t, ti, fold);
                        if (r != NOMATCH) {
                            if (!doubleStar || r != ABORT_TO_STARSTAR) {
                                return r;
                            }
                        } else if (!doubleStar && t.charAt(ti) == '/') {
                            return ABORT_TO_STARSTAR;
                        }
                    }
                    return ABORT_ALL;
                }
                case '[' -> {
                    int[] pos = {pi};
                    int r = matchClass(p, pos, tc, fold);
                    if (r == ABORT_ALL) {
                        return ABORT_ALL;
                    }
                    if (r == NOMATCH || tc == '/') {
                        return NOMATCH;
                    }
                    pi = pos[0];
                }
                default -> {
                    if (pc == '\\') {
                        pi++;
                        pc = pi < p.length() ? p.charAt(pi) : '\0';
                    }
                    if (tc != fold(pc, fold)) {
                        return NOMATCH;
                    }
                }
            }
        }
        return ti >= t.length() ? MATCH : NOMATCH;
    }

    /** Evaluates the bracket expression starting at pos[0] ('['); leaves pos[0] on its closing ']'. */
    private static int matchClass(String p, int[] pos, char tc, boolean fold) {
        int pi = pos[0] + 1;
        char pc = at(p, pi);
        if (pc == '^') {
            pc = '!';
        }
        boolean negated = pc == '!';
        if (negated) {
            pc = at(p, ++pi);
        }
        char prev = 0;
        boolean matched = false;
        do {
            if (pc == 0) {
                return ABORT_ALL;
            }
            if (pc == '\\') {
                pc = at(p, ++pi);
                if (pc == 0) {
                    return ABORT_ALL;
                }
                if (tc == fold(pc, fold)) {
                    matched = true;
                }
            } else if (pc == '-' && prev != 0 && at(p, pi + 1) != 0 && at(p, pi + 1) != ']') {
                pc = at(p, ++pi);
                if (pc == '\\') {
                    pc = at(p, ++pi);
                    if (pc == 0) {
                        return ABORT_ALL;
                    }
                }
                pc = fold(pc, fold);
                if (tc <= pc && tc >= prev) {
                    matched = true;
                }
                pc = 0;
            } else if (pc == '[' && at(p, pi + 1) == ':') {
                int s = pi + 2;
                int e = s;
                while (at(p, e) != 0 && at(p, e) != ']') {
                    e++;
                }
                if (at(p, e) == 0) {
                    return ABORT_ALL;
                }
                if (e - s - 1 < 0 || p.charAt(e - 1) != ':') {
                    // Not "[:name:]": a literal '['.
                    pc = '[';
                    if (tc == pc) {
                        matched = true;
                    }
                } else {
                    Boolean in = inClass(p.substring(s, e - 1), tc);
                    if (in == null) {
                        return ABORT_ALL;
                    }
                    matched |= in;
                    pi = e;
                    pc = 0;
                }
            } else if (tc == fold(pc, fold)) {
                matched = true;
            }
            prev = pc;
            pc = at(p, ++pi);
        } while (pc != ']');
        pos[0] = pi;
        return matched == negated ? NOMATCH : MATCH;
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static Boolean inClass(String name, char c) {
        return switch (name) {
            case "alnum" -> Character.isLetterOrDigit(c) && c < 128;
            case "alpha" -> Character.isLetter(c) && c < 128;
            case "blank" -> c == ' ' || c == '\t';
            case "cntrl" -> c < 32 || c == 127;
            case "digit" -> c >= '0' && c <= '9';
            case "graph" -> c > 32 && c < 127;
            case "lower" -> c >= 'a' && c <= 'z';
            case "print" -> c >= 32 && c < 127;
            case "punct" -> c > 32 && c < 127 && !Character.isLetterOrDigit(c);
            case "space" -> ConfText.isSpace(c);
            case "upper" -> c >= 'A' && c <= 'Z';
            case "xdigit" -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default -> null;
        };
    }
}
