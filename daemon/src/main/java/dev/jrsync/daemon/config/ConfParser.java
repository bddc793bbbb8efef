package dev.jrsync.daemon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One run of the rsyncd.conf reader. The character-level state machine mirrors params.c (Parse, Section,
 * Parameter, EatWhitespace, EatComment, Continuation, include_config); the storage rules mirror loadparm.c
 * (do_section, do_parameter, add_a_section, push/pop of the defaults around &include). Single use, not thread-safe.
 */
final class ConfParser {
    /** Our own bound: stock recurses until it runs out of file descriptors. */
    private static final int MAX_INCLUDE_DEPTH = 32;
    /** Our own bound on one config file, so a wrong path (a device, a huge log) cannot exhaust memory. */
    private static final long MAX_FILE_BYTES = 16L << 20;
    private static final int EOF = -1;
    private static final Set<String> FACILITIES = Set.of("auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr",
            "mail", "news", "security", "syslog", "user", "uucp", "local0", "local1", "local2", "local3", "local4",
            "local5", "local6", "local7");

    /** A module being built: the defaults copied at creation plus its own settings. */
    static final class Section {
        final EnumMap<Param, String> values;
        final Path file;
        final int line;

        Section(EnumMap<Param, String> values, Path file, int line) {
            this.values = values;
            this.file = file;
            this.line = line;
        }

        String name() {
            return values.get(Param.NAME);
        }
    }

    private final boolean globalsOnly;
    private final List<String> dparams;
    private final UnaryOperator<String> env;
    /** loadparm.c's Vars: the global values and the defaults for modules defined later. */
    private EnumMap<Param, String> vars = new EnumMap<>(Param.class);
    private final Deque<EnumMap<Param, String>> stack = new ArrayDeque<>();
    final List<Section> sections = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    private Section current;
    private boolean inGlobal = true;
    private boolean dparamsApplied;
    private int depth;

    ConfParser(boolean globalsOnly, List<String> dparams, UnaryOperator<String> env) {
        this.globalsOnly = globalsOnly;
        this.dparams = List.copyOf(dparams);
        this.env = env;
    }

    EnumMap<Param, String> globals() {
        return vars;
    }

    void parseFile(Path file) throws ConfigException {
        run(new Source(readFile(file, file, 0), file));
    }

    void parseText(String text, Path origin) throws ConfigException {
        run(new Source(text, origin));
    }

    private void run(Source src) throws ConfigException {
        parse(src);
        // Stock applies --dparam when the first module starts; a config without modules still gets them here.
        applyDparams(src);
    }

    private static String readFile(Path file, Path from, int line) throws ConfigException {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(file, 0, "config file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            // 3.5.0 opens rsyncd.conf and every &include/&merge file with open_no_attacker_symlinks().
            return new String(NoAttackerSymlinks.read(file, (int) MAX_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException(from, line, "unable to open config file \"" + file + "\": " + describe(e));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory (2)";
        }
        if (e instanceof NoAttackerSymlinks.RefusedException) {
            return NoAttackerSymlinks.ELOOP;
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Character source with C getc() semantics: a NUL byte ends the input, as it ends params.c's loops. */
    private static final class Source {
        final String text;
        final Path file;
        int pos;
        int nextLine = 1;
        /** Line of the character returned last. */
        int line = 1;

        Source(String text, Path file) {
            this.text = text;
            this.file = file;
        }

        int getc() {
            if (pos >= text.length() || text.charAt(pos) == '\0') {
                pos = text.length();
                return EOF;
            }
            char c = text.charAt(pos++);
            line = nextLine;
            if (c == '\n') {
                nextLine++;
            }
            return c;
        }

        int eatWhitespace() {
            int c;
            do {
                c = getc();
            } while (c != EOF && c != '\n' && ConfText.isSpace(c));
            return c;
        }

        int eatComment() {
            int c;
            do {
                c = getc();
            } while (c != '\n' && c != EOF);
            return c;
        }
    }

    /** Returns true when a section header stopped a globals-only read. Mirrors params.c:Parse(). */
    private boolean parse(Source src) throws ConfigException {
        int c = src.eatWhitespace();
        while (c != EOF) {
            switch (c) {
                case '\n' -> c = src.eatWhitespace();
                case ';', '#' -> c = src.eatComment();
                case '[' -> {
                    if (globalsOnly) {
                        return true;
                    }
                    section(src);
                    c = src.eatWhitespace();
                }
                case '\\' -> c = src.eatWhitespace();
                default -> {
                    if (parameter(src, c)) {
                        return true;
                    }
                    c = src.eatWhitespace();
                }
            }
        }
        return false;
    }

    /** params.c:Continuation(): the index of a trailing backslash (trailing whitespace allowed), or -1. */
    private static int continuation(StringBuilder buf) {
        int pos = buf.length() - 1;
        while (pos >= 0 && ConfText.isSpace(buf.charAt(pos))) {
            pos--;
        }
        return pos >= 0 && buf.charAt(pos) == '\\' ? pos : -1;
    }

    /** Mirrors params.c:Section(); the '[' has been read. */
    private void section(Source src) throws ConfigException {
        int startLine = src.line;
        StringBuilder buf = new StringBuilder();
        int end = 0;
        int c = src.eatWhitespace();
        while (c != EOF) {
            if (c == ']') {
                String name = buf.substring(0, end);
                if (end == 0) {
                    throw new ConfigException(src.file, startLine, "Empty section name in config file.");
                }
                doSection(name, src, startLine);
                src.eatComment();
                return;
            } else if (c == '\n') {
                int i = continuation(buf);
                if (i < 0) {
                    throw new ConfigException(src.file, startLine,
                            "Badly formed line in config file: " + buf.substring(0, Math.min(end, buf.length())));
                }
                buf.setLength(i);
                end = i > 0 && buf.charAt(i - 1) == ' ' ? i - 1 : i;
                c = src.getc();
            } else if (ConfText.isSpace(c)) {
                buf.setLength(end);
                buf.append(' ');
                c = src.eatWhitespace();
            } else {
                buf.append((char) c);
                end = buf.length();
                c = src.getc();
            }
        }
        throw new ConfigException(src.file, startLine, "Unexpected EOF in the config file: " + buf);
    }

    /**
     * Mirrors params.c:Parameter() for one "name = value" or "&directive value" line whose first character is c.
     * Returns true when an included file stopped a globals-only read.
     */
    private boolean parameter(Source src, int c) throws ConfigException {
        int startLine = src.line;
        StringBuilder buf = new StringBuilder();
        int end = 0;
        String name = null;
        while (name == null) {
            switch (c) {
                case '=' -> {
                    if (end == 0) {
                        throw new ConfigException(src.file, startLine, "Invalid parameter name in config file.");
                    }
                    name = buf.substring(0, end);
                    c = src.eatWhitespace();
                }
                case '\n' -> {
                    int i = continuation(buf);
                    if (i < 0) {
                        warn(src.file, startLine, "Ignoring badly formed line in config file: "
                                + buf.substring(0, Math.min(end, buf.length())));
                        return false;
                    }
                    buf.setLength(i);
                    end = i > 0 && buf.charAt(i - 1) == ' ' ? i - 1 : i;
                    c = src.getc();
                }
                case EOF -> {
                    warn(src.file, startLine, "Unexpected end-of-file at: " + buf);
                    return false;
                }
                default -> {
                    if ((c == ' ' || c == '\t') && !buf.isEmpty() && buf.charAt(0) == '&') {
                        // A directive's name ends at the first blank; an '=' after it is optional.
                        name = buf.substring(0, end);
                        c = src.eatWhitespace();
                        if (c == '=') {
                            c = src.eatWhitespace();
                        }
                    } else if (ConfText.isSpace(c)) {
                        buf.setLength(end);
                        buf.append(' ');
                        c = src.eatWhitespace();
                    } else {
                        buf.append((char) c);
                        end = buf.length();
                        c = src.getc();
                    }
                }
            }
        }
        boolean directive = !name.isEmpty() && name.charAt(0) == '&';
        buf.setLength(0);
        end = 0;
        while (c != EOF) {
            if (c == '\r') {
                c = src.getc();
            } else if (c == '\n') {
                int i = continuation(buf);
                if (i < 0) {
                    break;
                }
                // The backslash goes, the whitespace before it and the next line's indentation stay.
                buf.setLength(i);
                end = i;
                c = src.getc();
            } else {
                buf.append((char) c);
                if (!ConfText.isSpace(c)) {
                    end = buf.length();
                }
                c = src.getc();
            }
        }
        String value = buf.substring(0, end);
        if (directive) {
            return directive(name, value, src, startLine);
        }
        doParameter(name, value, src.file, startLine);
        return false;
    }

    /** Mirrors params.c:parse_directives() and include_config(). */
    private boolean directive(String name, String value, Source src, int line) throws ConfigException {
        boolean manageGlobals;
        if (name.equalsIgnoreCase("&include")) {
            manageGlobals = true;
        } else if (name.equalsIgnoreCase("&merge")) {
            manageGlobals = false;
        } else {
            throw new ConfigException(src.file, line, "Unknown directive: " + name + ".");
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException(src.file, line, "config files nested deeper than " + MAX_INCLUDE_DEPTH
                    + " levels (an &include/&merge loop?)");
        }
        // Like stock's stat(), a relative name is resolved against the working directory, not the including file.
        if (value.isEmpty()) {
            throw new ConfigException(src.file, line,
                    "unable to stat config file \"\": No such file or directory (2)");
        }
        Path target = Path.of(value);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new ConfigException(src.file, line, "unable to stat config file \"" + value + "\": " + describe(e));
        }
        boolean push = manageGlobals && !globalsOnly;
        depth++;
        try {
            if (attrs.isRegularFile()) {
                if (push) {
                    pushDefaults();
                }
                try {
                    return parse(new Source(readFile(target, src.file, line), target));
                } finally {
                    if (push) {
                        popDefaults(true);
                    }
                }
            }
            if (!attrs.isDirectory()) {
                throw new ConfigException(src.file, line,
                        "config path \"" + value + "\" is neither a regular file nor a directory");
            }
            String suffix = manageGlobals ? ".conf" : ".inc";
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
                for (Path p : ds) {
                    String leaf = p.getFileName().toString();
                    if (leaf.endsWith(suffix)) {
                        names.add(leaf);
                    }
                }
            } catch (IOException e) {
                throw new ConfigException(src.file, line, "unable to open config dir \"" + value + "\": "
                        + describe(e));
            }
            // Stock sorts with strcmp(): byte order, which for UTF-8 is code point order.
            names.sort(ConfParser::compareCodePoints);
            if (names.isEmpty()) {
                return false;
            }
            try {
                for (int j = 0; j < names.size(); j++) {
                    if (push) {
                        if (j == 0) {
                            pushDefaults();
                        } else {
                            popDefaults(false);
                        }
                    }
                    Path file = target.resolve(names.get(j));
                    if (parse(new Source(readFile(file, src.file, line), file))) {
                        return true;
                    }
                }
            } finally {
                if (push) {
                    popDefaults(true);
                }
            }
            return false;
        } finally {
            depth--;
        }
    }

    private static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** loadparm.c:do_section("]push"). */
    private void pushDefaults() {
        stack.push(new EnumMap<>(vars));
        inGlobal = true;
    }

    /** loadparm.c:do_section("]pop") / ("]reset"): restore the pushed defaults; pop drops the saved copy. */
    private void popDefaults(boolean pop) {
        vars = new EnumMap<>(pop ? stack.pop() : stack.peek());
        inGlobal = true;
    }

    /** Mirrors loadparm.c:do_section(). */
    private void doSection(String name, Source src, int line) throws ConfigException {
        boolean isGlobal = strwiEquals(name, "global");
        if (inGlobal && !isGlobal && sections.isEmpty()) {
            applyDparams(src);
        }
        inGlobal = isGlobal;
        if (isGlobal) {
            return;
        }
        if (name.indexOf('/') >= 0) {
            throw new ConfigException(src.file, line, "Warning: invalid section name in configuration file: " + name);
        }
        for (int i = sections.size() - 1; i >= 0; i--) {
            if (strwiEquals(sections.get(i).name(), name)) {
                current = sections.get(i);
                return;
            }
        }
        EnumMap<Param, String> values = new EnumMap<>(Param.class);
        for (Map.Entry<Param, String> e : vars.entrySet()) {
            if (e.getKey().scope() == Param.Scope.MODULE) {
                values.put(e.getKey(), e.getValue());
            }
        }
        values.put(Param.NAME, name);
        current = new Section(values, src.file, line);
        sections.add(current);
    }

    private void applyDparams(Source src) throws ConfigException {
        if (dparamsApplied) {
            return;
        }
        dparamsApplied = true;
        boolean wasGlobal = inGlobal;
        inGlobal = true;
        for (String dp : dparams) {
            int eq = dp.indexOf('=');
            if (eq < 0 || Param.lookup(dp.substring(0, eq)).isEmpty()) {
                throw new ConfigException(src.file, 0, "Unknown parameter \"" + (eq < 0 ? dp : dp.substring(0, eq))
                        + "\" in --dparam");
            }
            int v = eq + 1;
            while (v < dp.length() && ConfText.isSpace(dp.charAt(v))) {
                v++;
            }
            doParameter(dp.substring(0, eq), dp.substring(v), src.file, 0);
        }
        inGlobal = wasGlobal;
    }

    /** Mirrors loadparm.c:strwiEQ(): case-insensitive, whitespace ignored. */
    static boolean strwiEquals(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        return ConfText.stripAllSpace(a).toUpperCase(Locale.ROOT).equals(ConfText.stripAllSpace(b).toUpperCase(
                Locale.ROOT));
    }

    /** Mirrors loadparm.c:do_parameter(). */
    private void doParameter(String name, String value, Path file, int line) throws ConfigException {
        Param p = Param.lookup(name).orElse(null);
        if (p == null) {
            if (!name.startsWith("-")) {
                warn(file, line, "Unknown Parameter encountered: \"" + name + "\"");
            }
            warn(file, line, "IGNORING unknown parameter \"" + name + "\"");
            return;
        }
        Map<Param, String> target;
        if (inGlobal) {
            target = vars;
        } else {
            if (p.scope() == Param.Scope.GLOBAL) {
                warn(file, line, "Global parameter " + name + " found in module section!");
                return;
            }
            target = current.values;
        }
        switch (p.type()) {
            case STRING -> target.put(p, value);
            case PATH -> {
                int len = value.length();
                while (len > 1 && value.charAt(len - 1) == '/') {
                    len--;
                }
                target.put(p, value.substring(0, len));
            }
            case INTEGER -> target.put(p, ConfText.expandVars(value, env));
            case BOOL, BOOL3 -> {
                String v = ConfText.expandVars(value, env);
                if (ConfText.parseBool(v, p.type() == Param.Type.BOOL3) == ConfText.Bool3.INVALID) {
                    warn(file, line, "Badly formed boolean in configuration file: \"" + v + "\".");
                } else {
                    target.put(p, v);
                }
            }
            case ENUM -> {
                String v = ConfText.expandVars(value, env);
                if (FACILITIES.contains(v.toLowerCase(Locale.ROOT)) || ConfText.atoi(v) > 0) {
                    target.put(p, v);
                }
            }
        }
    }

    private void warn(Path file, int line, String message) {
        warnings.add((file == null ? "<config>" : file.toString()) + ":" + line + ": " + message);
    }
}
