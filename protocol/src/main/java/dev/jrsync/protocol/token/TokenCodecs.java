package dev.jrsync.protocol.token;

import com.github.luben.zstd.Zstd;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.util.OptionalInt;

/**
 * Creates the per-session token writer and reader for a negotiated {@link CompressionType}.
 * Stateless, thread-safe; the objects it returns are not.
 */
public final class TokenCodecs {
    /** zlib's and zlibx's default level (rsync's Z_DEFAULT_COMPRESSION maps to 6). */
    public static final int ZLIB_DEFAULT_LEVEL = 6;
    /** zstd's default level (ZSTD_CLEVEL_DEFAULT). */
    public static final int ZSTD_DEFAULT_LEVEL = 3;
    /** rsync's CLVL_NOT_SPECIFIED: no --compress-level was given. */
    public static final int LEVEL_NOT_SPECIFIED = Integer.MIN_VALUE;
    /** zlib's Z_DEFAULT_COMPRESSION, which a user may give as --compress-level=-1. */
    private static final int ZLIB_DEFAULT_REQUEST = -1;

    private TokenCodecs() {
    }

    /**
     * The level a sender compresses {@code type} with when the user asked for {@code requested}
     * ({@link #LEVEL_NOT_SPECIFIED} when nobody did); empty when that request turns compression off
     * (zlib and zlibx at 0). Out-of-range requests are clamped, never refused. Mirrors
     * token.c:init_compression_level(); both sides compute it, so both agree on "off".
     */
    public static OptionalInt effectiveLevel(CompressionType type, int requested) {
        return switch (type) {
            case ZLIB, ZLIBX -> {
                if (requested == LEVEL_NOT_SPECIFIED || requested == ZLIB_DEFAULT_REQUEST) {
                    yield OptionalInt.of(ZLIB_DEFAULT_LEVEL);
                }
                yield requested == 0 ? OptionalInt.empty() : OptionalInt.of(Math.clamp(requested, 1, 9));
            }
            case ZSTD -> requested == LEVEL_NOT_SPECIFIED || requested == 0
                    ? OptionalInt.of(ZSTD_DEFAULT_LEVEL)
                    : OptionalInt.of(Math.clamp(requested, Zstd.minCompressionLevel(), Zstd.maxCompressionLevel()));
            case LZ4, NONE -> OptionalInt.of(0);
        };
    }

    /**
     * The level for a file whose name the daemon's "dont compress" list matches: zlib's "off" level
     * (stored blocks); the other algorithms keep {@code level}, because rsync only applies the
     * per-file level when it starts a deflate stream (token.c).
     */
    public static int skipLevel(CompressionType type, int level) {
        return type == CompressionType.ZLIB || type == CompressionType.ZLIBX ? 0 : level;
    }

    /**
     * A writer for {@code type}. {@code level}: zlib/zlibx 0..9 (0 = stored blocks), zstd the
     * library's range, lz4 and none ignore it. {@code protocol} selects zlib's pre-31 matched-data
     * insertion bug.
     *
     * @throws IllegalArgumentException for a level out of range
     */
    public static CompressedTokenWriter writer(CompressionType type, int level, WireOutput out, int protocol) {
        return writer(type, level, 0, out, protocol);
    }

    /**
     * As {@link #writer(CompressionType, int, WireOutput, int)}, with {@code threads} zstd worker
     * threads (0 = compress on the calling thread; rsync's --compress-threads). Other algorithms
     * ignore {@code threads}.
     *
     * @throws IllegalArgumentException for a level or thread count out of range
     */
    public static CompressedTokenWriter writer(CompressionType type, int level, int threads, WireOutput out,
                                               int protocol) {
        return switch (type) {
            case ZLIB -> new ZlibTokenWriter(out, level, true, protocol);
            case ZLIBX -> new ZlibTokenWriter(out, level, false, protocol);
            case ZSTD -> new ZstdTokenWriter(out, level, threads);
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
