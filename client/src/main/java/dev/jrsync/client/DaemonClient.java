package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.handshake.AuthDigest;
import dev.jrsync.protocol.handshake.Greeting;
import dev.jrsync.protocol.handshake.Lines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The client half of the daemon text phase: greeting, module request, authentication, argument
 * list (clientserver.c:start_inband_exchange()). Stateless apart from its inputs; blocking.
 */
final class DaemonClient {
    private DaemonClient() {
    }

    /** The outcome of the text phase: the negotiated protocol, or a finished listing. */
    record Result(int protocol, boolean listingDone) {
    }

    static Result handshake(InputStream in, OutputStream out, RemoteSpec spec, int ourProtocol,
                            Supplier<String> password, List<String> serverArgs, java.util.function.Consumer<String> stdout,
                            boolean showMotd, Map<String, String> env) throws IOException {
        Lines.write(out, Greeting.ours(ourProtocol).format().stripTrailing());
        String line = Lines.read(in, Lines.MAX_LINE);
        if (line == null) {
            throw new RsyncException(ExitCode.RERR_STARTCLIENT, "didn't get server startup line");
        }
        if (!line.startsWith("@RSYNCD: ")) {
            throw new RsyncException(ExitCode.RERR_STARTCLIENT, "server sent \"" + line
                    + "\" rather than greeting");
        }
        Greeting theirs = Greeting.parse(line, true);
        int protocol = Greeting.choose(ourProtocol, theirs.protocol(), theirs.sub());
        Greeting.requireSupported(protocol);
        Lines.write(out, spec.isListing() ? "" : spec.module());
        while (true) {
            String l = Lines.read(in, Lines.MAX_LINE);
            if (l == null) {
                throw new RsyncException(ExitCode.RERR_STARTCLIENT, "connection unexpectedly closed");
            }
            if (l.startsWith("@RSYNCD: AUTHREQD ")) {
                String challenge = l.substring("@RSYNCD: AUTHREQD ".length());
                AuthDigest digest = theirs.digests() == null ? AuthDigest.implied(protocol)
                        : AuthDigest.chooseAsClient(theirs.digests()).orElseThrow(() -> new RsyncException(
                                ExitCode.RERR_STARTCLIENT, "the server does not support any of our auth digests"));
                String user = spec.user() != null && !spec.user().isEmpty() ? spec.user() : defaultUser(env);
                String pass = password.get();
                Lines.write(out, user + " " + digest.response(pass == null ? "" : pass, challenge));
                continue;
            }
            if (l.equals("@RSYNCD: OK")) {
                break;
            }
            if (l.equals("@RSYNCD: EXIT")) {
                return new Result(protocol, true);
            }
            if (l.startsWith("@ERROR")) {
                throw new RsyncException(ExitCode.RERR_STARTCLIENT, l);
            }
            if (showMotd || spec.isListing()) {
                stdout.accept(l);
            }
        }
        Lines.writeArgs(out, serverArgs, protocol);
        return new Result(protocol, false);
    }

    static String defaultUser(Map<String, String> env) {
        String u = env.get("USER");
        if (u == null || u.isEmpty()) {
            u = env.get("LOGNAME");
        }
        return u == null || u.isEmpty() ? "nobody" : u;
    }

    /** authenticate.c:getpassf(): the first line of the file, which must not be other-accessible. */
    static String readPasswordFile(Path file) throws RsyncException {
        try {
            if (file.toString().equals("-")) {
                byte[] b = System.in.readNBytes(511);
                return firstLine(new String(b, StandardCharsets.UTF_8), file);
            }
            if (Files.isSymbolicLink(file)) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "could not open password file " + file
                        + ": Too many levels of symbolic links (40)");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "ERROR: password file must not be other-accessible");
            }
            byte[] b;
            try (InputStream is = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                b = is.readNBytes(511);
            }
            return firstLine(new String(b, StandardCharsets.UTF_8), file);
        } catch (RsyncException e) {
            throw e;
        } catch (IOException e) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "could not open password file " + file
                    + ": No such file or directory (2)", e);
        }
    }

    private static String firstLine(String s, Path file) throws RsyncException {
        for (String l : s.split("[\r\n]")) {
            if (!l.isEmpty()) {
                return l;
            }
        }
        throw new RsyncException(ExitCode.RERR_SYNTAX, "ERROR: failed to read a password from " + file);
    }
}
