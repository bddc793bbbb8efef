package dev.jrsync.protocol.session;

import dev.jrsync.protocol.fs.ConfinedRoot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's files on the local file system, as a remote-shell server or the far side of a local
 * copy sees them: names relative to the working directory or absolute, symlinks on the way followed
 * (the user's own account). Stateless.
 */
public final class LocalFiles implements StartServer.Files {
    @Override
    public List<SourceArgs.Arg> sources(List<String> paths, boolean relative, List<ConfinedRoot> opened)
            throws IOException {
        List<SourceArgs.Arg> args = new ArrayList<>();
        for (String p : paths) {
            String path = p.isEmpty() ? "." : p;
            args.add(relative ? SourceArgs.localRelative(path, opened) : SourceArgs.local(path, opened));
        }
        return args;
    }

    @Override
    public LocalName.Destination destination(String path) {
        return new PathDestination(path);
    }
}
