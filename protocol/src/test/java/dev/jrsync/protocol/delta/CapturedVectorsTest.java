package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Block sums, whole-file checksums and token streams captured from stock rsync 3.2.7 (protocol 32;
 * the checksum code is unchanged in 3.5.0) on this machine with
 * {@code rsync -e <wrapper tee-ing both pipes> --no-whole-file -I <options> localhost:/tmp/cap/src/big.bin dst/big.bin},
 * i.e. a pull from a local {@code rsync --server --sender}. The source file has byte i =
 * ((i * 2654435761) >> 13) & 0xFF for i < 100000; the destination (the basis) is the same with
 * bytes 49700..50399 (block 71) XORed with 0x5A. The 143 sums that follow the header
 * (143, 700, 2, 600) in the generator's stream are kept as their SHA-256; so is the sender's
 * token stream from the first token through the terminating 0.
 */
class CapturedVectorsTest {
    private static final String TOKENS_SHA256 = "ba0f5f0572a2ec727e278f8623cbd75210f1d7ad746a2fbde9efa17db45aee98";

    private static byte[] source() {
        byte[] b = new byte[100_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i * 2654435761L) >>> 13);
        }
        return b;
    }

    private static byte[] basis() {
        byte[] b = source();
        for (int i = 71 * 700; i < 72 * 700; i++) {
            b[i] ^= 0x5A;
        }
        return b;
    }

    private static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static ChecksumProfile profile(String kind, int seed) {
        return switch (kind) {
            // Defaults of two 3.2.7 peers: negotiated xxh128.
            case "xxh128" -> new ChecksumProfile(ChecksumType.XXH128, 32, seed, true, true);
            // --cc=NAME: chosen explicitly, computed like a negotiated choice.
            case "md5" -> new ChecksumProfile(ChecksumType.MD5, 32, seed, true, true);
            case "xxh64" -> new ChecksumProfile(ChecksumType.XXH64, 32, seed, true, true);
            // --protocol=29: implied MD4_OLD.
            case "proto29" -> ChecksumProfile.implied(29, seed, false);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @CsvSource({
            // options, kind, seed, sha256 of the 143 (sum1, sum2) entries, whole-file checksum
            "--checksum-seed=12345, xxh128, 12345, 2323405cdbb2adbb54cde9d32fe6150e11012e593bea44e5c2f29d25cb20573f, 0123463d75ec431ddbe10d19b00b5818",
            "--checksum-seed=-123456, xxh128, -123456, ee0a933c5e04a4d43dd42713938e658ab0be054797a41314fb7b1200a8bbb4c9, 0123463d75ec431ddbe10d19b00b5818",
            "--checksum-seed=12345 --cc=md5, md5, 12345, 3c6bcc10b4bdb4fc4b0de2812eb8d760616478c6714719a4648e83bf60230cee, 6b1237bb4c34b3268422138306a9da00",
            "--checksum-seed=12345 --protocol=29, proto29, 12345, f5295ad9248b1d5609f5049045d2ed47883118528bb52fe3fc555389903246ee, f9c3fb56ddd6ff2ac6f718f012d2f05e",
            "--checksum-seed=-7 --cc=xxh64, xxh64, -7, 9cce1547837462ce396007c312a80308bc947470f75dbbde32570ad440adc6ad, 11c622c70b1c8f97",
    })
    void matchesStockRsync(String options, String kind, int seed, String sumsSha256, String fileDigest) throws Exception {
        ChecksumProfile p = profile(kind, seed);
        SumHead head = SumSizes.forLength(100_000, p.protocol(), 0, p.digestLength(), false);
        assertEquals(new SumHead(143, 700, 2, 600), head, options);

        Signature sig = Signature.generate(new ByteArrayInputStream(basis()), head, p);
        ByteArrayOutputStream sums = new ByteArrayOutputStream();
        sig.write(new WireOutput(sums));
        assertEquals(sumsSha256, sha256(sums.toByteArray()), options);

        byte[] source = source();
        ByteArrayOutputStream tokens = new ByteArrayOutputStream();
        PlainTokenWriter writer = new PlainTokenWriter(new WireOutput(tokens));
        byte[] sent = new Matcher(sig, p).run(new ByteArrayInputStream(source), source.length, writer);
        writer.end();
        assertEquals(TOKENS_SHA256, sha256(tokens.toByteArray()), options);
        assertEquals(fileDigest, HexFormat.of().formatHex(sent), options);

        FileDigest receiver = p.newFileDigest();
        receiver.update(source, 0, source.length);
        assertEquals(fileDigest, HexFormat.of().formatHex(receiver.finish()), options);
    }
}
