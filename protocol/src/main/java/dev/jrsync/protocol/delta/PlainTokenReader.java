package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;

import java.io.IOException;

/**
 * Reads the uncompressed token stream (§7.10). Mirrors token.c:simple_recv_token(): a literal
 * run of any declared length is delivered in pieces of at most 32 KiB from one reused buffer, so
 * the length sizes no allocation and needs no bound beyond being positive (3.5.0 accepts any too).
 * Not thread-safe; blocks on the input.
 */
public final class PlainTokenReader implements TokenSource {
    private static final Token.End END = new Token.End();

    private final WireInput in;
    private final int blockCount;
    private final byte[] buffer = new byte[PlainTokenWriter.CHUNK_SIZE];
    private int residue;

    public PlainTokenReader(WireInput in, int blockCount) {
        this.in = in;
        this.blockCount = blockCount;
    }

    @Override
    public Token next() throws IOException {
        if (residue == 0) {
            int token = in.readInt();
            if (token == 0) {
                return END;
            }
            if (token < 0) {
                long index = -(long) token - 1;
                if (index >= blockCount) {
                    throw RsyncException.stream("block index: " + index + " (expected: < " + blockCount + ")");
                }
                return new Token.Match((int) index);
            }
            residue = token;
        }
        int n = Math.min(residue, buffer.length);
        in.readFully(buffer, 0, n);
        residue -= n;
        return new Token.Literal(buffer, 0, n);
    }
}
