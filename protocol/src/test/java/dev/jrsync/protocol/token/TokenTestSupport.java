package dev.jrsync.protocol.token;

import dev.jrsync.protocol.delta.Token;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Scripted sessions for the codec tests: a file is a basis cut into blocks plus literal/match ops. */
final class TokenTestSupport {
    private TokenTestSupport() {
    }

    sealed interface Op {
        record Lit(byte[] data) implements Op {}

        record Blk(int index) implements Op {}
    }

    record FileScript(byte[] basis, int blockLength, List<Op> ops) {
        int blockCount() {
            return (basis.length + blockLength - 1) / blockLength;
        }

        int blockOff(int i) {
            return i * blockLength;
        }

        int blockLen(int i) {
            return Math.min(blockLength, basis.length - i * blockLength);
        }

        byte[] expected() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (Op op : ops) {
                switch (op) {
                    case Op.Lit l -> o.writeBytes(l.data());
                    case Op.Blk b -> o.write(basis, blockOff(b.index()), blockLen(b.index()));
                }
            }
            return o.toByteArray();
        }
    }

    /** Text-like bytes from the LCG the capture scripts used (glibc's rand() constants). */
    static byte[] lcgText(int n, long seed) {
        byte[] alpha = " abcdefghijklmnop\n".getBytes();
        byte[] out = new byte[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = (x * 1103515245L + 12345) & 0x7fffffffL;
            out[i] = alpha[(int) ((x >> 16) % 18)];
        }
        return out;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static byte[] write(CompressionType type, int level, int protocol, List<FileScript> files) throws IOException {
        return write(type, level, 0, protocol, files);
    }

    static byte[] write(CompressionType type, int level, int threads, int protocol, List<FileScript> files)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompressedTokenWriter w = TokenCodecs.writer(type, level, threads, new WireOutput(bytes), protocol);
        for (FileScript f : files) {
            for (Op op : f.ops()) {
                switch (op) {
                    case Op.Lit l -> w.literal(l.data(), 0, l.data().length);
                    case Op.Blk b -> {
                        w.match(b.index());
                        w.matchedData(f.basis(), f.blockOff(b.index()), f.blockLen(b.index()));
                    }
                }
            }
            w.end();
        }
        return bytes.toByteArray();
    }

    /** Decodes one file with {@code r}, which must have been started for it. */
    static byte[] readFile(CompressedTokenReader r, FileScript f) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        r.startFile(f.blockCount());
        while (true) {
            Token t = r.next();
            switch (t) {
                case Token.Literal l -> o.write(l.data(), l.off(), l.len());
                case Token.Match m -> {
                    o.write(f.basis(), f.blockOff(m.blockIndex()), f.blockLen(m.blockIndex()));
                    r.matchedData(f.basis(), f.blockOff(m.blockIndex()), f.blockLen(m.blockIndex()));
                }
                case Token.End e -> {
                    return o.toByteArray();
                }
            }
        }
    }

    static List<byte[]> read(CompressionType type, int protocol, InputStream in, List<FileScript> files)
            throws IOException {
        CompressedTokenReader r = TokenCodecs.reader(type, new WireInput(in), protocol);
        List<byte[]> out = new ArrayList<>();
        for (FileScript f : files) {
            out.add(readFile(r, f));
        }
        return out;
    }

    static List<byte[]> read(CompressionType type, int protocol, byte[] stream, List<FileScript> files)
            throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        List<byte[]> out = read(type, protocol, in, files);
        if (in.available() != 0) {
            throw new AssertionError(in.available() + " bytes left unread");
        }
        return out;
    }

    /** Hands out one byte per read call, so every read crosses a boundary somewhere. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private int pos;

        Trickle(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            b[off] = data[pos++];
            return 1;
        }
    }
}
