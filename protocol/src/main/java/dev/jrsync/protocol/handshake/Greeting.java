package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon greeting line, "@RSYNCD: 32.0 sha512 sha256 sha1 md5 md4". Mirrors
 * clientserver.c:exchange_protocols() and compat.c:output_daemon_greeting(). Immutable.
 *
 * @param protocol the peer's protocol number
 * @param sub the sub-protocol (0 in every release)
 * @param digests the auth digest list, or null when the peer sent none (rsync before 3.2.7)
 */
public record Greeting(int protocol, int sub, List<String> digests) {
    public static final int MIN_PROTOCOL = 20;
    public static final int MAX_PROTOCOL = 40;
    /** The lowest protocol jrsync speaks; older peers are refused with a clear message. */
    public static final int OLDEST_SUPPORTED = 27;
    public static final int NEWEST_SUPPORTED = 32;
    public static final List<String> OUR_DIGESTS = List.of("sha512", "sha256", "sha1", "md5", "md4");

    private static final Pattern LINE = Pattern.compile("@RSYNCD: (-?\\d+)(?:\\.(-?\\d+))?(?: (.*))?");

    public static Greeting ours(int protocol) {
        return new Greeting(protocol, 0, OUR_DIGESTS);
    }

    public String format() {
        StringBuilder sb = new StringBuilder("@RSYNCD: ").append(protocol).append('.').append(sub);
        if (digests != null && !digests.isEmpty()) {
            sb.append(' ').append(String.join(" ", digests));
        }
        return sb.append('\n').toString();
    }

    /**
     * Parses a peer's greeting line (without the newline).
     *
     * @param fromServer true when a client parses the daemon's greeting (message wording differs)
     */
    public static Greeting parse(String line, boolean fromServer) throws RsyncException {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL,
                    fromServer ? "did not see server greeting" : "protocol startup error");
        }
        int proto;
        try {
            proto = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL, "protocol startup error");
        }
        int sub = 0;
        if (m.group(2) != null) {
            sub = Integer.parseInt(m.group(2));
        } else if (proto >= 30) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL, (fromServer ? "the server" : "your client")
                    + " omitted the subprotocol value: " + line);
        }
        List<String> digests = null;
        if (m.group(3) != null && !m.group(3).isBlank()) {
            digests = List.of(m.group(3).trim().split("\\s+"));
        } else if (proto > 31) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL, (fromServer ? "the server" : "your client")
                    + " omitted the digest name list");
        }
        return new Greeting(proto, sub, digests);
    }

    /** Mirrors compat.c: min of both, minus one when the lower side has a pre-release sub-protocol. */
    public static int choose(int ours, int theirs, int theirSub) throws RsyncException {
        if (theirs < MIN_PROTOCOL || theirs > MAX_PROTOCOL) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL,
                    "protocol version mismatch -- is your shell clean?\n(see the rsync manpage for an explanation)");
        }
        int chosen = Math.min(ours, theirs);
        if (theirs < ours && theirSub != 0) {
            chosen--;
        }
        return chosen;
    }

    /** jrsync refuses protocols it cannot speak yet, with rsync's wording for an unsupported version. */
    public static void requireSupported(int protocol) throws RsyncException {
        if (protocol < OLDEST_SUPPORTED) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL, "protocol version " + protocol
                    + " is not supported by jrsync yet (supported: " + OLDEST_SUPPORTED + ".." + NEWEST_SUPPORTED + ")");
        }
    }
}
