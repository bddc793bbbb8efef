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

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcTest {

    @TempDir
    Path tmp;

    @Test
    void capturesBothStreamsExitCodeAndEnvironment() throws Exception {
        Proc.Result r = Proc.run(List.of("sh", "-c", "echo out:$X; echo err >&2; pwd; cat; exit 7"),
                Map.of("X", "42"), tmp, Duration.ofSeconds(20));
        assertEquals(7, r.exitCode());
        // stdin is closed, so cat ends at once instead of hanging.
        assertEquals("out:42\n" + tmp.toRealPath() + "\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertThrows(AssertionError.class, () -> r.expectSuccess());
        assertEquals(r, r.expectExit(7));
    }

    @Test
    void largeOutputOnBothStreamsDoesNotDeadlock() throws Exception {
        // 8 MiB per stream, far beyond any pipe buffer, interleaved.
        Proc.Result r = Proc.run(List.of("sh", "-c",
                "for i in 1 2 3 4 5 6 7 8; do head -c 1048576 /dev/zero | tr '\\0' a; head -c 1048576 /dev/zero"
                        + " | tr '\\0' b >&2; done"), Map.of(), null, Duration.ofSeconds(30)).expectSuccess();
        assertEquals(8 << 20, r.stdout().length());
        assertEquals(8 << 20, r.stderr().length());
    }

    @Test
    void rsyncVariablesDoNotLeakFromTheParentEnvironment() throws Exception {
        // Only checkable if the JVM happens to carry one; the explicit map must always win.
        Proc.Result r = Proc.run(List.of("sh", "-c", "env | grep '^RSYNC_' | sort"), Map.of("RSYNC_X", "1"), null,
                Duration.ofSeconds(20));
        assertEquals("RSYNC_X=1\n", r.stdout());
    }

    @Test
    void timeoutKillsTheWholeTreeAndReportsTheCommand() throws Exception {
        Path pids = tmp.resolve("pids");
        AssertionError e = assertThrows(AssertionError.class, () -> Proc.run(List.of("sh", "-c",
                "sleep 300 & echo $! > " + pids + "; echo started; sleep 300"), Map.of(), null, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("timed out after 2000 ms"), e.getMessage());
        assertTrue(e.getMessage().contains("sleep 300 &"), e.getMessage());
        assertTrue(e.getMessage().contains("started"), e.getMessage());
        long grandchild = Long.parseLong(Files.readString(pids).strip());
        ProcessHandle.of(grandchild).ifPresent(h -> h.onExit().join());
        assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void quoteIsShellSafe() {
        assertEquals("rsync -a 'dir with space/' 'it'\\''s' ''", Proc.quote(List.of("rsync", "-a", "dir with space/", "it's", "")));
    }
}
