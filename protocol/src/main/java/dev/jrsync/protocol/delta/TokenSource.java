package dev.jrsync.protocol.delta;

import java.io.IOException;

/** Yields a file's tokens until {@link Token.End}. Not thread-safe; blocks on its input. */
public interface TokenSource {
    Token next() throws IOException;
}
