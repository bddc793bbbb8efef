package dev.jrsync.protocol.token;

import java.util.Locale;
import java.util.Optional;

/**
 * The token-stream compression algorithms rsync negotiates (§8.1), in rsync 3.2+'s default
 * preference order. Immutable, thread-safe.
 */
public enum CompressionType {
    ZSTD("zstd"),
    LZ4("lz4"),
    ZLIBX("zlibx"),
    ZLIB("zlib"),
    NONE("none");

    private final String wireName;

    CompressionType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the negotiation strings and in {@code --compress-choice}. */
    public String wireName() {
        return wireName;
    }

    /** Looks up a negotiated or user-given name; case-insensitive like rsync's option parsing. */
    public static Optional<CompressionType> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (CompressionType t : values()) {
            if (t.wireName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
