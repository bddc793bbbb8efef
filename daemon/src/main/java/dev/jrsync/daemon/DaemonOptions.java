package dev.jrsync.daemon;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code rsync --daemon} (options.c: long_daemon_options, daemon_usage()). Options stock
 * accepts that jrsync does not implement are refused, never ignored. Immutable once parsed.
 */
public final class DaemonOptions {
    /** Where stock looks without --config. */
    public static final Path DEFAULT_CONFIG = Path.of("/etc/rsyncd.conf");

    /** Stock daemon options jrsync refuses (they would change behaviour if silently dropped). */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("bwlimit", "log-file-format", "sockopts", "protocol",
            "server", "temp-dir", "verbose", "no-verbose", "no-v");
    private static final Set<String> TAKES_VALUE = Set.of("address", "bwlimit", "config", "dparam", "log-file",
            "log-file-format", "port", "sockopts", "protocol", "temp-dir");

    /** Null for the config's "address"; -4/-6 narrow the wildcard's family. */
    public enum Family { ANY, INET4, INET6 }

    Path config = DEFAULT_CONFIG;
    /** --config was on the command line (a daemon over a remote shell picks its default otherwise). */
    boolean configGiven;
    int port = -1;
    String address;
    boolean detach = true;
    Path logFile;
    final List<String> dparams = new ArrayList<>();
    Family family = Family.ANY;
    boolean help;

    private DaemonOptions() {
    }

    /** Parses the arguments (they contain --daemon somewhere); throws the usage error stock prints, exit 1. */
    public static DaemonOptions parse(String[] args) throws RsyncException {
        DaemonOptions o = new DaemonOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && a.length() > 2) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                String value = eq < 0 ? null : a.substring(eq + 1);
                if (TAKES_VALUE.contains(name) && value == null) {
                    if (i + 1 >= args.length) {
                        throw usage("rsync: " + a + ": missing argument (in daemon mode)");
                    }
                    value = args[++i];
                } else if (!TAKES_VALUE.contains(name) && value != null) {
                    throw usage("rsync: " + a + ": option does not take an argument (in daemon mode)");
                }
                o.longOption(name, value, a);
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    switch (c) {
                        case 'h' -> o.help = true;
                        case '4' -> o.family = Family.INET4;
                        case '6' -> o.family = Family.INET6;
                        case 'M' -> {
                            String value = a.substring(k + 1);
                            if (value.isEmpty()) {
                                if (i + 1 >= args.length) {
                                    throw usage("rsync: -M: missing argument (in daemon mode)");
                                }
                                value = args[++i];
                            }
                            o.dparam(value);
                            k = a.length();
                        }
                        case 'v' -> throw notImplemented("-v");
                        case 'T' -> throw notImplemented("-T");
                        default -> throw usage("rsync: -" + c + ": unknown option (in daemon mode)");
                    }
                }
            } else {
                throw usage("rsync: " + a + ": jrsync's daemon takes no arguments besides options");
            }
        }
        return o;
    }

    private void longOption(String name, String value, String arg) throws RsyncException {
        if (NOT_IMPLEMENTED.contains(name)) {
            throw notImplemented("--" + name);
        }
        switch (name) {
            case "daemon" -> {
            }
            case "no-detach" -> detach = false;
            case "detach" -> detach = true;
            case "config" -> {
                config = Path.of(value);
                configGiven = true;
            }
            case "address" -> address = value;
            case "log-file" -> logFile = Path.of(value);
            case "dparam" -> dparam(value);
            case "ipv4" -> family = Family.INET4;
            case "ipv6" -> family = Family.INET6;
            case "help" -> help = true;
            case "port" -> {
                try {
                    port = Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw usage("rsync: " + arg + ": invalid numeric value (in daemon mode)");
                }
                if (port < 0 || port > 65535) {
                    throw usage("rsync: " + arg + ": invalid port number (in daemon mode)");
                }
            }
            default -> throw usage("rsync: " + arg + ": unknown option (in daemon mode)");
        }
    }

    private void dparam(String value) throws RsyncException {
        if (value.indexOf('=') < 0) {
            throw usage("--dparam value is missing an '=': " + value);
        }
        dparams.add(value);
    }

    private static RsyncException notImplemented(String option) {
        return usage("rsync: " + option + ": not supported by the jrsync daemon yet (in daemon mode)");
    }

    private static RsyncException usage(String message) {
        return new RsyncException(ExitCode.RERR_SYNTAX, message
                + "\n(Type \"rsync --daemon --help\" for assistance with daemon mode.)");
    }

    public Path config() {
        return config;
    }

    /** -1 when not given (the config's "port", then 873). */
    public int port() {
        return port;
    }

    public String address() {
        return address;
    }

    public boolean detach() {
        return detach;
    }

    /** --log-file, overriding the config's "log file"; null when not given. */
    public Path logFile() {
        return logFile;
    }

    public List<String> dparams() {
        return List.copyOf(dparams);
    }

    public Family family() {
        return family;
    }

    public boolean help() {
        return help;
    }

    /** The text of {@code --daemon --help}: stock's layout, listing only what this daemon accepts. */
    public static String usageText() {
        return """
                jrsync, a Java implementation of the rsync protocol: daemon mode

                Usage: rsync --daemon [OPTION]...
                --daemon                 run as an rsync daemon
                --address=ADDRESS        bind to the specified address
                --config=FILE            specify alternate rsyncd.conf file
                --dparam=OVERRIDE, -M    override global daemon config parameter
                --no-detach              do not detach from the parent
                --port=PORT              listen on alternate port number
                --log-file=FILE          override the "log file" setting
                --ipv4, -4               prefer IPv4
                --ipv6, -6               prefer IPv6
                --help, -h               show this help (when used with --daemon)

                Not supported yet (refused): --bwlimit, --log-file-format, --sockopts, --verbose/-v.
                With a socket on stdin (inetd, systemd Accept=yes, RSYNC_CONNECT_PROG) the daemon serves that one
                connection and exits; it then opens no listener, pid file or detached process.

                If you were not trying to invoke rsync as a daemon, avoid using any of the
                daemon-specific rsync options.  See also the rsyncd.conf(5) manpage.
                """;
    }
}
