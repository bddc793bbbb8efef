package dev.jrsync.client;

import java.util.Optional;

/**
 * A remote-shell location from the command line, {@code [USER@]HOST:PATH} (options.c:check_for_hostspec()
 * without a port): the host part ends at the first colon, a slash before any colon makes the
 * argument local, an IPv6 literal is bracketed ({@code [::1]:path}). A later source argument may
 * leave the host empty ({@code :path}) to mean the same host. Immutable.
 *
 * @param user null when none was given
 * @param host the host, brackets removed; "" for a continuation argument
 * @param path the remote path as given ("" is the remote home directory, sent as ".")
 */
public record ShellSpec(String user, String host, String path) {

    /** The spec in {@code arg}, or empty when it is local or a daemon address (check those first). */
    public static Optional<ShellSpec> parse(String arg) {
        if (RemoteSpec.parse(arg).isPresent()) {
            return Optional.empty();
        }
        int hostStart = 0;
        int userEnd = -1;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '/') {
                return Optional.empty();
            }
            if (c == ':') {
                String host = arg.substring(hostStart, i);
                if (host.startsWith("[")) {
                    host = host.substring(1, host.length() - 1);
                }
                return Optional.of(new ShellSpec(userEnd < 0 ? null : arg.substring(0, userEnd), host,
                        arg.substring(i + 1)));
            }
            if (c == '@') {
                userEnd = i;
                hostStart = i + 1;
            } else if (c == '[') {
                if (i != hostStart) {
                    return Optional.empty();
                }
                int close = arg.indexOf(']', i);
                int slash = arg.indexOf('/', i);
                if (close < 0 || (slash >= 0 && slash < close) || close == i + 1 || close + 1 >= arg.length()
                        || arg.charAt(close + 1) != ':') {
                    return Optional.empty();
                }
                i = close;
            }
        }
        return Optional.empty();
    }

    /** The path the remote server is given: an empty one is the remote user's home, ".". */
    public String serverPath() {
        return path.isEmpty() ? "." : path;
    }
}
