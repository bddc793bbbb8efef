package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.ChecksumProfile;
import dev.jrsync.protocol.checksum.FileDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeltaApplierTest {
    @TempDir
    Path tmp;

    private static TokenSource tokens(Token... t) {
        ArrayDeque<Token> q = new ArrayDeque<>(List.of(t));
        return q::removeFirst;
    }

    private static FileDigest digest() {
        return ChecksumProfile.implied(31, 0, true).newFileDigest();
    }

    @Test
    void copiesBlocksIncludingTheShortLastOne() throws IOException {
        byte[] basis = new byte[2500];
        new Random(1).nextBytes(basis);
        Path f = tmp.resolve("b");
        Files.write(f, basis);
        SumHead head = new SumHead(4, 700, 2, 400);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeltaApplier.Result res;
        try (FileChannel ch = FileChannel.open(f)) {
            res = DeltaApplier.apply(tokens(new Token.Match(3), new Token.Literal(new byte[] {1, 2, 3}, 1, 2),
                    new Token.Match(0), new Token.End()), head, ch, out, digest());
        }
        byte[] expected = new byte[400 + 2 + 700];
        System.arraycopy(basis, 2100, expected, 0, 400);
        expected[400] = 2;
        expected[401] = 3;
        System.arraycopy(basis, 0, expected, 402, 700);
        assertArrayEquals(expected, out.toByteArray());
        assertEquals(new DeltaApplier.Result(2, 1100), res);
    }

    @Test
    void matchWithoutBasisOrOutOfRangeIsAStreamError() throws IOException {
        RsyncException e = assertThrows(RsyncException.class, () -> DeltaApplier.apply(
                tokens(new Token.Match(0), new Token.End()), SumHead.EMPTY, null, new ByteArrayOutputStream(), digest()));
        assertEquals(ExitCode.RERR_STREAMIO, e.exitCode());
        Path f = tmp.resolve("b");
        Files.write(f, new byte[1400]);
        try (FileChannel ch = FileChannel.open(f)) {
            e = assertThrows(RsyncException.class, () -> DeltaApplier.apply(
                    tokens(new Token.Match(2), new Token.End()), new SumHead(2, 700, 2, 0), ch, new ByteArrayOutputStream(), digest()));
            assertEquals(ExitCode.RERR_STREAMIO, e.exitCode());
        }
    }

    @Test
    void basisShorterThanItsSumsIsAFileError() throws IOException {
        Path f = tmp.resolve("b");
        Files.write(f, new byte[1000]);
        try (FileChannel ch = FileChannel.open(f)) {
            RsyncException e = assertThrows(RsyncException.class, () -> DeltaApplier.apply(
                    tokens(new Token.Match(1), new Token.End()), new SumHead(2, 700, 2, 0), ch, new ByteArrayOutputStream(), digest()));
            assertEquals(ExitCode.RERR_FILEIO, e.exitCode());
        }
    }

    @Test
    void digestCoversLiteralAndMatchedBytesInOrder() throws IOException {
        byte[] basis = new byte[1400];
        new Random(2).nextBytes(basis);
        Path f = tmp.resolve("b");
        Files.write(f, basis);
        FileDigest d = digest();
        try (FileChannel ch = FileChannel.open(f)) {
            DeltaApplier.apply(tokens(new Token.Literal(new byte[] {9}, 0, 1), new Token.Match(1), new Token.End()),
                    new SumHead(2, 700, 2, 0), ch, new ByteArrayOutputStream(), d);
        }
        FileDigest expected = digest();
        expected.update(new byte[] {9}, 0, 1);
        expected.update(Arrays.copyOfRange(basis, 700, 1400), 0, 700);
        assertArrayEquals(expected.finish(), d.finish());
    }
}
