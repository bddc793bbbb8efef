package dev.jrsync.protocol.token;

import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

/**
 * Creates the per-session token writer and reader for a negotiated {@link CompressionType}.
 * Stateless, thread-safe; the objects it returns are not.
 */
public final class TokenCodecs {
    /** zlib's and zlibx's default level (rsync's Z_DEFAULT_COMPRESSION maps to 6). */
    public static final int ZLIB_DEFAULT_LEVEL = 6;
    /** zstd's default level (ZSTD_CLEVEL_DEFAULT). */
    public static final int ZSTD_DEFAULT_LEVEL = 3;

    private TokenCodecs() {
    }

    /**
     * A writer for {@code type}. {@code level}: zlib/zlibx 1..9, zstd the library's range, lz4 and
     * none ignore it. {@code protocol} selects zlib's pre-31 matched-data insertion bug.
     *
     * @throws IllegalArgumentException for a level out of range
     */
    public static CompressedTokenWriter writer(CompressionType type, int level, WireOutput out, int protocol) {
        return switch (type) {
            case ZLIB -> new ZlibTokenWriter(out, level, true, protocol);
            case ZLIBX -> new ZlibTokenWriter(out, level, false, protocol);
            case ZSTD -> new ZstdTokenWriter(out, level);
            case LZ4 -> new Lz4TokenWriter(out);
            case NONE -> new PlainTokenAdapters.Writer(out);
        };
    }

    /** A reader for {@code type}; {@code protocol} selects zlib's pre-31 matched-data insertion bug. */
    public static CompressedTokenReader reader(CompressionType type, WireInput in, int protocol) {
        return switch (type) {
            case ZLIB -> new ZlibTokenReader(in, true, protocol, ZlibTokenReader.MAX_CHUNK_OUTPUT);
            case ZLIBX -> new ZlibTokenReader(in, false, protocol, ZlibTokenReader.MAX_CHUNK_OUTPUT);
            case ZSTD -> new ZstdTokenReader(in, ZstdTokenReader.MAX_CHUNK_OUTPUT);
            case LZ4 -> new Lz4TokenReader(in);
            case NONE -> new PlainTokenAdapters.Reader(in);
        };
    }
}
