package dev.jrsync.protocol.checksum;

import net.openhft.hashing.LongHashFunction;
import net.openhft.hashing.LongTupleHashFunction;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every type's block and file digests against direct use of the JDK, BouncyCastle and zero-allocation-hashing. */
class ChecksumProfileTest {
    private static final byte[] HELLO = "hello world\n".getBytes(StandardCharsets.US_ASCII);
    private static final int NEGATIVE_SEED = -123456;

    private static byte[] data(int len) {
        byte[] b = new byte[len];
        new Random(len).nextBytes(b);
        return b;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] le64(long... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            bb.putLong(x);
        }
        return bb.array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static byte[] jdk(String alg, byte[] in) throws Exception {
        return MessageDigest.getInstance(alg).digest(in);
    }

    private static byte[] md4(byte[] in) {
        MD4Digest d = new MD4Digest();
        d.update(in, 0, in.length);
        byte[] out = new byte[16];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] block(ChecksumProfile p, byte[] in) {
        // Hash from the middle of a larger array to exercise the offset.
        byte[] padded = concat(new byte[3], in, new byte[5]);
        byte[] out = new byte[p.digestLength()];
        p.newBlockHasher().digest(padded, 3, in.length, out);
        return out;
    }

    private static byte[] file(FileDigest d, byte[] in, int piece) {
        for (int off = 0; off < in.length; off += piece) {
            d.update(in, off, Math.min(piece, in.length - off));
        }
        return d.finish();
    }

    private static ChecksumProfile negotiated(ChecksumType t, int seed) {
        return new ChecksumProfile(t, 32, seed, true, true);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, NEGATIVE_SEED, Integer.MIN_VALUE, 0x6b13ee11})
    void xxhBlockSumsUseSignExtendedSeed(int seed) {
        byte[] in = data(700);
        assertArrayEquals(le64(LongHashFunction.xx((long) seed).hashBytes(in)), block(negotiated(ChecksumType.XXH64, seed), in));
        assertArrayEquals(le64(LongHashFunction.xx3((long) seed).hashBytes(in)), block(negotiated(ChecksumType.XXH3, seed), in));
        long[] r = LongTupleHashFunction.xx128((long) seed).hashBytes(in);
        assertArrayEquals(le64(r[0], r[1]), block(negotiated(ChecksumType.XXH128, seed), in));
    }

    @Test
    void negativeSeedIsNotZeroExtended() {
        byte[] in = data(700);
        long[] zeroExtended = LongTupleHashFunction.xx128(NEGATIVE_SEED & 0xFFFFFFFFL).hashBytes(in);
        assertFalse(Arrays.equals(le64(zeroExtended[0], zeroExtended[1]),
                block(negotiated(ChecksumType.XXH128, NEGATIVE_SEED), in)));
        assertEquals(0xFFFFFFFFFFFE1DC0L, (long) NEGATIVE_SEED);
    }

    @Test
    void negotiatedMd5AndSha1PutSeedFirst() throws Exception {
        byte[] in = data(700);
        int seed = 0x01020304;
        assertArrayEquals(jdk("MD5", concat(le32(seed), in)), block(negotiated(ChecksumType.MD5, seed), in));
        assertArrayEquals(jdk("SHA-1", concat(le32(seed), in)), block(negotiated(ChecksumType.SHA1, seed), in));
        // Even a negotiated md5 without CF_CHKSUM_SEED_FIX goes through the EVP (seed-first) path.
        assertArrayEquals(jdk("MD5", concat(le32(seed), in)),
                block(new ChecksumProfile(ChecksumType.MD5, 31, seed, false, true), in));
    }

    @Test
    void impliedMd5SeedPlacementFollowsCompatFlag() throws Exception {
        byte[] in = data(513);
        int seed = NEGATIVE_SEED;
        assertArrayEquals(jdk("MD5", concat(le32(seed), in)), block(ChecksumProfile.implied(31, seed, true), in));
        assertArrayEquals(jdk("MD5", concat(in, le32(seed))), block(ChecksumProfile.implied(30, seed, false), in));
    }

    @Test
    void zeroSeedIsLeftOutOfCryptographicBlockSums() throws Exception {
        byte[] in = data(700);
        assertArrayEquals(jdk("MD5", in), block(ChecksumProfile.implied(30, 0, false), in));
        assertArrayEquals(jdk("SHA-1", in), block(negotiated(ChecksumType.SHA1, 0), in));
        assertArrayEquals(md4(in), block(ChecksumProfile.implied(29, 0, false), in));
    }

    @Test
    void md4BlockSumsAppendSeed() {
        byte[] in = data(700);
        int seed = 0x6b13ee11;
        assertArrayEquals(md4(concat(in, le32(seed))), block(ChecksumProfile.implied(29, seed, false), in));
        assertArrayEquals(md4(concat(in, le32(seed))), block(ChecksumProfile.implied(27, seed, false), in));
        // Stock 3.5.0's built-in MD4 when md4 is chosen explicitly (--cc=md4), §7.6.
        assertArrayEquals(md4(concat(in, le32(seed))), block(negotiated(ChecksumType.MD4, seed), in));
    }

    @Test
    void impliedTypeFollowsProtocol() {
        assertEquals(ChecksumType.MD5, ChecksumProfile.implied(30, 1, false).type());
        assertEquals(ChecksumType.MD4, ChecksumProfile.implied(29, 1, false).type());
        assertFalse(ChecksumProfile.implied(32, 1, true).negotiated());
        assertThrows(IllegalArgumentException.class, () -> ChecksumProfile.implied(26, 1, false));
    }

    /** rsync 3.5.0 capture (Appendix A, `rsync -av rsync://127.0.0.1/mod/ dst/`, protocol 32): whole-file sum of a.txt. */
    @Test
    void xxh128FileDigestOfHelloWorldFromCapture() {
        byte[] d = file(negotiated(ChecksumType.XXH128, 0x5eed).newFileDigest(), HELLO, 5);
        assertEquals("254448a533e7b23613cd0071d8c9faee", HexFormat.of().formatHex(d));
    }

    @Test
    void fileDigestsIgnoreSeedExceptOldMd4() throws Exception {
        byte[] in = data(100_000);
        int seed = 0x6b13ee11;
        for (int piece : new int[] {1, 63, 700, 65536, 100_000}) {
            assertArrayEquals(le64(LongHashFunction.xx(0).hashBytes(in)), file(negotiated(ChecksumType.XXH64, seed).newFileDigest(), in, piece));
            assertArrayEquals(le64(LongHashFunction.xx3(0).hashBytes(in)), file(negotiated(ChecksumType.XXH3, seed).newFileDigest(), in, piece));
            long[] r = LongTupleHashFunction.xx128(0).hashBytes(in);
            assertArrayEquals(le64(r[0], r[1]), file(negotiated(ChecksumType.XXH128, seed).newFileDigest(), in, piece));
            assertArrayEquals(jdk("MD5", in), file(ChecksumProfile.implied(31, seed, true).newFileDigest(), in, piece));
            assertArrayEquals(jdk("MD5", in), file(negotiated(ChecksumType.MD5, seed).newFileDigest(), in, piece));
            assertArrayEquals(jdk("SHA-1", in), file(negotiated(ChecksumType.SHA1, seed).newFileDigest(), in, piece));
            assertArrayEquals(md4(in), file(negotiated(ChecksumType.MD4, seed).newFileDigest(), in, piece));
            // MD4_OLD prepends the seed (captured for protocols 27 and 29, §7.7), even a zero one.
            assertArrayEquals(md4(concat(le32(seed), in)), file(ChecksumProfile.implied(29, seed, false).newFileDigest(), in, piece));
            assertArrayEquals(md4(concat(le32(0), in)), file(ChecksumProfile.implied(27, 0, false).newFileDigest(), in, piece));
        }
    }

    @Test
    void listDigestIsNeverSeeded() throws Exception {
        byte[] in = data(3000);
        assertArrayEquals(md4(in), file(ChecksumProfile.implied(29, 0x6b13ee11, false).newListDigest(), in, 1000));
        assertArrayEquals(jdk("MD5", in), file(ChecksumProfile.implied(30, 99, false).newListDigest(), in, 1000));
        long[] r = LongTupleHashFunction.xx128(0).hashBytes(in);
        assertArrayEquals(le64(r[0], r[1]), file(negotiated(ChecksumType.XXH128, 99).newListDigest(), in, 1000));
    }

    @Test
    void finishResetsForTheNextFile() throws Exception {
        for (ChecksumProfile p : new ChecksumProfile[] {
                negotiated(ChecksumType.XXH128, 7), negotiated(ChecksumType.XXH64, 7), ChecksumProfile.implied(29, 7, false)}) {
            FileDigest d = p.newFileDigest();
            byte[] first = file(d, data(5000), 333);
            assertArrayEquals(first, file(d, data(5000), 333), p.toString());
        }
    }

    @Test
    void noneIsOneZeroByte() {
        ChecksumProfile p = negotiated(ChecksumType.NONE, 5);
        assertArrayEquals(new byte[1], file(p.newFileDigest(), data(100), 10));
        byte[] out = {9};
        p.newBlockHasher().digest(data(10), 0, 10, out);
        assertArrayEquals(new byte[1], out);
    }
}
