package dev.jrsync.protocol.token;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompressionTypeTest {
    @Test
    void namesRoundTrip() {
        for (CompressionType t : CompressionType.values()) {
            assertEquals(Optional.of(t), CompressionType.byName(t.wireName()));
            assertEquals(Optional.of(t), CompressionType.byName(t.wireName().toUpperCase()));
        }
        assertEquals("zstd lz4 zlibx zlib none", String.join(" ",
                java.util.Arrays.stream(CompressionType.values()).map(CompressionType::wireName).toList()));
        assertEquals(Optional.empty(), CompressionType.byName("gzip"));
        assertEquals(Optional.empty(), CompressionType.byName(null));
    }
}
