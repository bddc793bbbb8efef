package dev.jrsync.interop;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.TestTree;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Client options beyond plain -a, each run in the four directions plus jrsync to jrsync and
 * compared with stock to stock in the same run: the destination after a second, changed run must
 * be what stock-to-stock produced. The tree also holds a FIFO (-D specials) and a changed file
 * whose size and mtime stay the same (only -c notices it).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OptionsMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "--numeric-ids",
            "-c",
            "-W",
            "--no-whole-file --checksum-choice=md5",
            "--checksum-choice=xxh64",
            "--checksum-choice=sha1 --protocol=30",
            "--delete --protocol=31",
            "-n",
            "-rlt",
            "-B 2048 --stats"})
    void optionBehavesLikeStock(String options) throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path fifo = src.resolve("a/fifo");
        // touch sets the time without opening the FIFO (the JDK's setLastModifiedTime would block in open()).
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(0, new ProcessBuilder("touch", "-d", "@1600000000", fifo.toString()).start().waitFor());
        try (DirectionMatrix m = DirectionMatrix.start(tmp, src, TIMEOUT)) {
            m.round(options + " (first copy)", List.of());
            change(src);
            m.assertTreesMatch(m.round(options, List.of(options.split(" "))));
        }
    }

    /** A same-size, same-mtime content change, a new file, a removed file, a mode change. */
    private static void change(Path src) throws Exception {
        Path mid = src.resolve("a/b/c/mid.txt");
        FileTime t = Files.getLastModifiedTime(mid);
        byte[] b = Files.readAllBytes(mid);
        b[0] = (byte) (b[0] ^ 0x20);
        Files.write(mid, b);
        Files.setLastModifiedTime(mid, t);
        TestTree.modifyForDelta(src);
        Path run = src.resolve("run.sh");
        Files.setPosixFilePermissions(run, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
}
