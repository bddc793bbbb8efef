package dev.jrsync.interop.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Parses real output of the installed stock rsync (whatever its version) rather than canned strings. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatsAndItemizeTest {

    @TempDir
    Path tmp;

    private Proc.Result local(String... args) throws Exception {
        return StockRsync.client(List.of(args), Map.of(), Duration.ofSeconds(60)).expectSuccess();
    }

    @Test
    void statsOfWholeFileCopyThenNoOpThenDelta() throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        long regular = TreeAssert.snapshot(src).values().stream()
                .filter(e -> e.type() == TreeAssert.Type.FILE).count();
        long total = TreeAssert.snapshot(src).values().stream()
                .filter(e -> e.type() != TreeAssert.Type.DIRECTORY).mapToLong(TreeAssert.Entry::size).sum();

        Stats first = Stats.parse(local("-a", "--stats", src + "/", dst + "/").stdout());
        assertEquals(regular, first.regularFilesTransferred());
        assertEquals(total, first.totalFileSize());
        assertEquals(first.totalTransferredFileSize(), first.literalData(), "local copies are whole-file");
        assertEquals(0, first.matchedData());
        assertTrue(first.totalBytesSent() > TestTree.BIG_SIZE, first.toString());
        assertEquals(TreeAssert.snapshot(src).size() - 1, first.files() - 1, "Number of files counts '.' too");

        Stats again = Stats.parse(local("-a", "--stats", src + "/", dst + "/").stdout());
        assertEquals(0, again.regularFilesTransferred());
        assertEquals(0, again.literalData());

        TestTree.modifyForDelta(src);
        Stats delta = Stats.parse(local("-a", "--no-whole-file", "--delete", "--stats", src + "/", dst + "/").stdout());
        assertEquals(2, delta.regularFilesTransferred());
        assertTrue(delta.literalData() < TestTree.BIG_SIZE / 50, delta.toString());
        assertTrue(delta.matchedData() > TestTree.BIG_SIZE / 2, delta.toString());
        TreeAssert.assertSameTree(src, dst);
    }

    @Test
    void statsRejectsHumanReadableAndMissingCounters() throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        String human = local("-a", "-h", "--stats", src + "/", tmp.resolve("dst") + "/").stdout();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stats.parse(human));
        assertTrue(e.getMessage().contains("run without -h"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Stats.parse("sent 1 bytes  received 2 bytes  3.00 bytes/sec\n"));
    }

    @Test
    void itemizeKeepsFileLinesAndDropsSummaries() throws Exception {
        Path src = TestTree.standard(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        String out = local("-a", "-i", "-v", "--stats", src + "/", dst + "/").stdout();
        List<String> lines = Itemize.normalise(out);
        assertTrue(lines.contains(">f+++++++++ " + TestTree.UNICODE_FILE), String.join("\n", lines));
        assertTrue(lines.contains("cL+++++++++ " + TestTree.ABSOLUTE_LINK + " -> " + TestTree.ABSOLUTE_TARGET),
                String.join("\n", lines));
        assertTrue(lines.contains("cd+++++++++ a/b/c/d/"), String.join("\n", lines));
        for (String line : lines) {
            assertFalse(line.startsWith("sent ") || line.startsWith("total size is") || line.contains("file list")
                    || line.startsWith("Literal data") || line.isBlank(), line);
        }
        assertEquals(TreeAssert.snapshot(src).size(), lines.size(), "one line per entry:\n" + String.join("\n", lines));
    }
}
