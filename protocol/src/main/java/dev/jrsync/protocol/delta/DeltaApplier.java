package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.FileDigest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Rebuilds a file from a token stream and its basis (the receiver side). Mirrors
 * receiver.c:receive_data(). Stateless and thread-safe; blocks on the token source, the basis and
 * the output.
 */
public final class DeltaApplier {
    /** Matched blocks are copied through a buffer of at most this size, whatever the block length. */
    private static final int COPY_BUFFER = 256 * 1024;

    private DeltaApplier() {
    }

    /** Bytes written from literals and from matched basis blocks. */
    public record Result(long literalBytes, long matchedBytes) {}

    /**
     * Reads tokens until {@link Token.End}, writing the reconstructed file to {@code out} and every
     * output byte to {@code digest}.
     *
     * @param basis the basis file, or null when {@code head.count() == 0}
     * @throws RsyncException exit 12 for a match outside the basis's blocks; exit 11 when the basis
     *         is shorter than its sums say (it changed since the generator read it)
     */
    public static Result apply(TokenSource tokens, SumHead head, FileChannel basis, OutputStream out, FileDigest digest)
            throws IOException {
        long literal = 0;
        long matched = 0;
        byte[] copy = null;
        while (true) {
            switch (tokens.next()) {
                case Token.Literal(byte[] data, int off, int len) -> {
                    out.write(data, off, len);
                    digest.update(data, off, len);
                    literal += len;
                }
                case Token.Match(int index) -> {
                    if (index < 0 || index >= head.count() || basis == null) {
                        throw RsyncException.stream("block index: " + index + " (expected: < " + head.count()
                                + (basis == null ? ", and no basis file is open" : "") + ")");
                    }
                    if (copy == null) {
                        copy = new byte[Math.min(head.blockLength(), COPY_BUFFER)];
                    }
                    matched += copyBlock(basis, (long) index * head.blockLength(), head.blockLength(index), copy, out,
                            digest, tokens);
                }
                case Token.End() -> {
                    return new Result(literal, matched);
                }
            }
        }
    }

    private static int copyBlock(FileChannel basis, long position, int length, byte[] copy, OutputStream out,
                                 FileDigest digest, TokenSource tokens) throws IOException {
        int done = 0;
        while (done < length) {
            ByteBuffer bb = ByteBuffer.wrap(copy, 0, Math.min(copy.length, length - done));
            while (bb.hasRemaining()) {
                if (basis.read(bb, position + done + bb.position()) < 0) {
                    throw new RsyncException(ExitCode.RERR_FILEIO, "basis file: ended at "
                            + (position + done + bb.position()) + " bytes (expected: >= " + (position + length)
                            + "; it changed during the transfer)");
                }
            }
            out.write(copy, 0, bb.position());
            digest.update(copy, 0, bb.position());
            tokens.matchedData(copy, 0, bb.position());
            done += bb.position();
        }
        return length;
    }
}
