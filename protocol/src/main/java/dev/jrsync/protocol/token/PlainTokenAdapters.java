package dev.jrsync.protocol.token;

import dev.jrsync.protocol.delta.PlainTokenReader;
import dev.jrsync.protocol.delta.PlainTokenWriter;
import dev.jrsync.protocol.delta.Token;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;

/**
 * The uncompressed token stream (§7.10) behind the compressed interfaces, so callers need one code
 * path; matched data is irrelevant there. Not thread-safe; blocks on the wire.
 */
final class PlainTokenAdapters {
    private PlainTokenAdapters() {
    }

    static final class Writer implements CompressedTokenWriter {
        private final PlainTokenWriter plain;

        Writer(WireOutput out) {
            this.plain = new PlainTokenWriter(out);
        }

        @Override
        public void literal(byte[] b, int off, int len) throws IOException {
            plain.literal(b, off, len);
        }

        @Override
        public void match(int blockIndex) throws IOException {
            plain.match(blockIndex);
        }

        @Override
        public void matchedData(byte[] b, int off, int len) {
        }

        @Override
        public void end() throws IOException {
            plain.end();
        }
    }

    static final class Reader implements CompressedTokenReader {
        private final WireInput in;
        private PlainTokenReader plain;

        Reader(WireInput in) {
            this.in = in;
        }

        @Override
        public void startFile(int blockCount) {
            if (blockCount < 0) {
                throw new IllegalArgumentException("block count: " + blockCount + " (expected: >= 0)");
            }
            plain = new PlainTokenReader(in, blockCount);
        }

        @Override
        public Token next() throws IOException {
            if (plain == null) {
                throw new IllegalStateException("next() outside a file: call startFile first");
            }
            Token t = plain.next();
            if (t instanceof Token.End) {
                plain = null;
            }
            return t;
        }

        @Override
        public void matchedData(byte[] b, int off, int len) {
        }
    }
}
