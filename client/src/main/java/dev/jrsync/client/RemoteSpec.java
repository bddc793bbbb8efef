package dev.jrsync.client;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daemon address from the command line: rsync://[USER@]HOST[:PORT]/MODULE[/PATH] or
 * [USER@]HOST::MODULE[/PATH]. Immutable.
 *
 * @param port the port from the URL, or -1 (use --port or 873)
 * @param module empty for a module listing
 * @param path the path inside the module, "" for its root (a trailing slash is kept)
 */
public record RemoteSpec(String user, String host, int port, String module, String path) {
    private static final Pattern URL = Pattern.compile("rsync://(?:([^@/]*)@)?(\\[[^]]+]|[^:/]*)(?::(\\d+))?(?:/(.*))?");
    private static final Pattern DOUBLE_COLON = Pattern.compile("(?:([^@/:]*)@)?(\\[[^]]+]|[^:/\\[]*)::(.*)");

    public static Optional<RemoteSpec> parse(String arg) {
        Matcher m = URL.matcher(arg);
        if (m.matches()) {
            return Optional.of(of(m.group(1), m.group(2), m.group(3) == null ? -1 : Integer.parseInt(m.group(3)),
                    m.group(4) == null ? "" : m.group(4)));
        }
        m = DOUBLE_COLON.matcher(arg);
        if (m.matches() && !m.group(2).isEmpty()) {
            return Optional.of(of(m.group(1), m.group(2), -1, m.group(3)));
        }
        return Optional.empty();
    }

    private static RemoteSpec of(String user, String host, int port, String rest) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int slash = rest.indexOf('/');
        String module = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        return new RemoteSpec(user, h, port, module, path);
    }

    /** The path as the daemon expects it: "module/path" (a bare module becomes "module/"). */
    public String serverPath() {
        String p = module + "/" + path;
        return p;
    }

    /** Whether the user asked for the list of modules (no module name). */
    public boolean isListing() {
        return module.isEmpty();
    }

    /** rsync's host-and-user half, for comparing two remote arguments. */
    public boolean sameDaemon(RemoteSpec o) {
        return host.equals(o.host) && port == o.port && module.equals(o.module)
                && java.util.Objects.equals(user, o.user);
    }
}
