package dev.jrsync.interop;

import dev.jrsync.interop.support.DirectionMatrix;
import dev.jrsync.interop.support.TestTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Client options beyond plain -a, each run in the four directions plus jrsync to jrsync and
 * compared with stock to stock in the same run: the destination after a second, changed run must
 * be what stock-to-stock produced. The tree also holds a FIFO (-D specials) and a changed file
 * whose size and mtime stay the same (only -c notices it).
 *
 * <p>One stock and one jrsync daemon serve the whole class, and the two trees are built once: module {@code src}
 * (the {@link TestTree#compact} tree, whose 2 MiB big file still spans hundreds of blocks) and {@code changed}
 * (the same after {@link #change}). The first copy ({@code src} with plain -a, in every pairing, compared with stock
 * to stock) runs once; each case restores its result (cp -a) and copies {@code changed} with the option under test.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OptionsMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    static Path tmp;
    private static DirectionMatrix matrix;

    @BeforeAll
    static void startDaemons() throws Exception {
        Path src = tree(tmp.resolve("src"));
        Path changed = tree(tmp.resolve("changed"));
        change(changed);
        matrix = DirectionMatrix.start(tmp, Map.of("src", src, "changed", changed), TIMEOUT);
        matrix.assertTreesMatch(matrix.round("first copy", "src", List.of()));
        matrix.saveDestinations(tmp.resolve("first-copy"));
    }

    @AfterAll
    static void stopDaemons() {
        if (matrix != null) {
            matrix.close();
        }
    }

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
        matrix.restoreDestinations(tmp.resolve("first-copy"));
        matrix.assertTreesMatch(matrix.round(options, "changed", List.of(options.split(" "))));
    }

    /** The compact tree plus a FIFO. */
    private static Path tree(Path root) throws Exception {
        Path src = TestTree.compact(root);
        Path fifo = src.resolve("a/fifo");
        FileTime dirTime = Files.getLastModifiedTime(fifo.getParent());
        // touch sets the time without opening the FIFO (the JDK's setLastModifiedTime would block in open()).
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(0, new ProcessBuilder("touch", "-d", "@1600000000", fifo.toString()).start().waitFor());
        Files.setLastModifiedTime(fifo.getParent(), dirTime);
        return src;
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
