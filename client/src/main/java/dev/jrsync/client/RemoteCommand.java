package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.util.ArrayList;
import java.util.List;

/**
 * The remote-shell command line (main.c:do_cmd(), options.c:safe_arg()): the -e/--rsh command split
 * as rsync splits it, {@code -l USER}, {@code -4}/{@code -6} for ssh, the host, the remote rsync
 * program, then the server arguments. Arguments travel through the remote user's shell, so
 * characters it would interpret are backslash-escaped (--old-args turns that off); with
 * -s/--secluded-args only {@code --server} and the single-letter options go on the command line
 * and the rest is sent over the connection. Immutable.
 *
 * @param argv the local command to run
 * @param secluded the argument list sent NUL-separated once the shell runs (rsync.c:send_protected_args()),
 *                 or null
 */
public record RemoteCommand(List<String> argv, List<String> secluded) {
    /** main.c RSYNC_RSH: the default remote shell. */
    public static final String DEFAULT_RSH = "ssh";
    /** The default remote program (RSYNC_PATH). */
    public static final String DEFAULT_RSYNC_PATH = "rsync";
    private static final String SHELL_CHARS = "!#$&;|<>(){}\"'` \t\n\r\\";
    private static final String WILD_CHARS = "*?[]";

    /**
     * @param rsh the -e command (or RSYNC_RSH, or null for ssh)
     * @param serverArgs ServerArgs.build() output: options, ".", remote paths
     * @param remoteOptions -M options, appended to the options
     * @param oldArgs how many times --old-args was given (0: escape everything the shell would see)
     * @param family 4 or 6 for ssh's -4/-6, or 0
     * @param clientSends the client is the sender (a push): a leading "~" of a pulled path is escaped
     */
    public static RemoteCommand build(String rsh, String user, String host, String rsyncPath, List<String> serverArgs,
                                      List<String> remoteOptions, boolean secluded, int oldArgs, int family,
                                      boolean clientSends) throws RsyncException {
        List<String> argv = splitRsh(rsh == null ? DEFAULT_RSH : rsh);
        String program = argv.getFirst().substring(argv.getFirst().lastIndexOf('/') + 1);
        if (user != null) {
            argv.add("-l");
            argv.add(user);
        }
        if (family == 4 && program.equals("ssh")) {
            argv.add("-4");
        } else if (family == 6 && program.equals("ssh")) {
            argv.add("-6");
        }
        argv.add(host);
        argv.add(rsyncPath == null ? DEFAULT_RSYNC_PATH : rsyncPath);
        int dot = serverArgs.indexOf(".");
        List<String> options = new ArrayList<>(serverArgs.subList(0, dot));
        List<String> paths = serverArgs.subList(dot + 1, serverArgs.size());
        if (secluded) {
            Secluded split = seclude(serverArgs, remoteOptions);
            argv.addAll(split.commandLine());
            return new RemoteCommand(argv, split.secluded());
        }
        for (String o : options) {
            int eq = o.indexOf('=');
            argv.add(eq > 0 && o.startsWith("--") && oldArgs < 2
                    ? o.substring(0, eq + 1) + escape(o.substring(eq + 1), false, false) : o);
        }
        for (String o : remoteOptions) {
            argv.add(oldArgs == 0 ? escape(o, false, false) : o);
        }
        argv.add(".");
        for (String p : paths) {
            argv.add(oldArgs == 0 ? escape(p, true, !clientSends && p.startsWith("~") && p.indexOf('/') < 0) : p);
        }
        return new RemoteCommand(argv, null);
    }

    /**
     * -s/--secluded-args (options.c:server_options() with protect_args, rsync.c:send_protected_args()):
     * "--server", maybe "--sender", and the single-letter options with 's' stay on the command line
     * (or in a daemon's argument list); everything else, with a fake argv[0] "rsync", follows
     * NUL-separated once the far side runs.
     */
    public record Secluded(List<String> commandLine, List<String> secluded) {
    }

    /** Splits server arguments (and -M options) for -s; see {@link Secluded}. */
    public static Secluded seclude(List<String> serverArgs, List<String> remoteOptions) {
        int dot = serverArgs.indexOf(".");
        List<String> options = new ArrayList<>(serverArgs.subList(0, dot));
        List<String> paths = serverArgs.subList(dot + 1, serverArgs.size());
        int flags = 1;
        while (flags < options.size() && options.get(flags).startsWith("--")) {
            flags++;
        }
        if (flags < options.size() && options.get(flags).startsWith("-") && !options.get(flags).startsWith("--")) {
            options.set(flags, "-s" + options.get(flags).substring(1));
        } else {
            options.add(flags, "-s");
        }
        List<String> rest = new ArrayList<>();
        rest.add("rsync");
        rest.addAll(options.subList(flags + 1, options.size()));
        rest.addAll(remoteOptions);
        rest.add(".");
        for (String p : paths) {
            rest.add(p.isEmpty() ? "." : p);
        }
        return new Secluded(List.copyOf(options.subList(0, flags + 1)), rest);
    }

    /**
     * The command that starts a daemon over a remote shell ({@code HOST::MODULE} with -e): the
     * daemon's conversation then runs over the pipes. {@code -l USER} is added unless the -e command
     * has its own.
     */
    public static RemoteCommand daemon(String rsh, String user, String host, String rsyncPath) throws RsyncException {
        List<String> argv = splitRsh(rsh == null ? DEFAULT_RSH : rsh);
        boolean dashL = false;
        for (int i = 0; i < argv.size() - 1; i++) {
            dashL |= argv.get(i).equals("-l") && !argv.get(i + 1).startsWith("-");
        }
        if (user != null && !user.isEmpty() && !dashL) {
            argv.add("-l");
            argv.add(user);
        }
        argv.add(host);
        argv.add(rsyncPath == null ? DEFAULT_RSYNC_PATH : rsyncPath);
        argv.add("--server");
        argv.add("--daemon");
        argv.add(".");
        return new RemoteCommand(argv, null);
    }

    /**
     * Splits -e as main.c:do_cmd() does: words at spaces, single or double quotes group (a doubled
     * quote inside is a literal quote), no backslash escapes.
     */
    static List<String> splitRsh(String cmd) throws RsyncException {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = cmd.length();
        while (i < n) {
            if (cmd.charAt(i) == ' ') {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            while (i < n && (cmd.charAt(i) != ' ' || quote != 0)) {
                char c = cmd.charAt(i);
                if (c == '\'' || c == '"') {
                    if (quote == 0) {
                        quote = c;
                        i++;
                        continue;
                    }
                    if (c == quote) {
                        if (i + 1 < n && cmd.charAt(i + 1) == quote) {
                            w.append(c);
                            i += 2;
                            continue;
                        }
                        quote = 0;
                        i++;
                        continue;
                    }
                }
                w.append(c);
                i++;
            }
            if (quote != 0) {
                throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "Missing trailing-" + quote + " in remote-shell command.");
            }
            out.add(w.toString());
        }
        if (out.isEmpty()) {
            throw RsyncException.verbatim(ExitCode.RERR_SYNTAX, "Empty remote-shell command.");
        }
        return out;
    }

    /**
     * options.c:safe_arg(): a backslash before each character the remote shell would interpret; a
     * file name keeps its wildcards (the remote shell may expand them, as with stock) and a leading
     * dash becomes "./-"; an option argument has its wildcards escaped too.
     */
    static String escape(String arg, boolean fileName, boolean escapeTilde) {
        String escapes = fileName ? SHELL_CHARS : WILD_CHARS + SHELL_CHARS;
        StringBuilder b = new StringBuilder(arg.length() + 8);
        if (fileName && arg.startsWith("-")) {
            b.append("./");
        }
        if (escapeTilde) {
            b.append('\\');
        }
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                if (!fileName || !(i + 1 < arg.length() && WILD_CHARS.indexOf(arg.charAt(i + 1)) >= 0)) {
                    b.append('\\');
                }
            } else if (escapes.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
