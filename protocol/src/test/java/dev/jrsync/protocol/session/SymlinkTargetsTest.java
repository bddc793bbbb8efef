package dev.jrsync.protocol.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expectations follow util1.c:sanitize_path()'s documented rules (rsync 3.2.7 and 3.5.0 agree). */
class SymlinkTargetsTest {
    @ParameterizedTest
    @CsvSource({
            "/etc/passwd, 0, etc/passwd",
            "../../x, 0, x",
            "../x, 1, ../x",
            "../../x, 1, ../x",
            "a/./b//c, 0, a/b/c",
            "a/../../b, 2, ../b",
            "., 0, .",
            "/, 0, .",
            "dir/, 0, dir/",
            "a.txt, 3, a.txt"})
    void sanitizes(String target, int depth, String expected) {
        assertEquals(expected, SymlinkTargets.sanitize(target, depth));
    }
}
