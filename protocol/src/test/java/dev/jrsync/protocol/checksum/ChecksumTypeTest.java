package dev.jrsync.protocol.checksum;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumTypeTest {

    @Test
    void namesRoundTripAndAlias() {
        for (ChecksumType t : ChecksumType.values()) {
            assertEquals(Optional.of(t), ChecksumType.byName(t.wireName()));
        }
        assertEquals(Optional.of(ChecksumType.XXH64), ChecksumType.byName("xxhash"));
        assertEquals(Optional.empty(), ChecksumType.byName("sha256"));
        assertEquals(Optional.empty(), ChecksumType.byName("MD5"));
    }

    @Test
    void digestLengths() {
        assertEquals(16, ChecksumType.XXH128.digestLength());
        assertEquals(8, ChecksumType.XXH3.digestLength());
        assertEquals(8, ChecksumType.XXH64.digestLength());
        assertEquals(16, ChecksumType.MD5.digestLength());
        assertEquals(16, ChecksumType.MD4.digestLength());
        assertEquals(20, ChecksumType.SHA1.digestLength());
        assertEquals(1, ChecksumType.NONE.digestLength());
    }
}
