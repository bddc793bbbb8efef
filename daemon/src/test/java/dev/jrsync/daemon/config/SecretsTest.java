package dev.jrsync.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Secrets-file parsing and strict modes: rsyncd-and-security.md §A.3.2 and §B.9 (verified there with 3.5.0). */
class SecretsTest {
    private static Secrets parse(String text) {
        return Secrets.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> passwords(Secrets s, String user, String group) {
        return s.lookup(user, group).passwords().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void lineRules() {
        Secrets s = parse("# comment\n alice:lead\nalice:first\nalice:second-never-tried\nbob:pa:ss \n"
                + "carol:\r\n\n@staff:grouppw\ndave:x\r");
        assertEquals(List.of("first"), passwords(s, "alice", null), "leading space never matches; first line only");
        assertEquals(List.of("pa:ss "), passwords(s, "bob", null), "first ':' splits, trailing space kept");
        assertEquals(List.of(""), passwords(s, "carol", null), "empty password is valid; CR stripped");
        assertEquals(List.of("x"), passwords(s, "dave", null));
        assertEquals(List.of(), passwords(s, "Alice", null), "case-sensitive");
        assertEquals(List.of(), passwords(s, "ali", null), "the name must be followed by ':'");
        assertEquals("secret not found", s.lookup("zed", null).reasonIfNoMatch());
        assertEquals("password mismatch", s.lookup("alice", null).reasonIfNoMatch());
        assertEquals("invalid username", s.lookup("# comment", null).reasonIfNoMatch());
        assertEquals(List.of(), s.lookup("# comment", null).passwords());
        assertEquals(Optional.of("first"), s.password("alice", List.of()));
        assertEquals(Optional.empty(), s.password("#", List.of()));
    }

    @Test
    void groupLineIsTriedForTheMatchedGroup() {
        Secrets s = parse("@staff:grouppw\njoe:joepw\n@staff:later\n");
        assertEquals(List.of("grouppw", "joepw"), passwords(s, "joe", "staff"));
        assertEquals(List.of("grouppw"), passwords(s, "nobody", "staff"));
        assertEquals(List.of("joepw"), passwords(s, "joe", "other"));
        assertEquals(List.of(), passwords(s, "staff", null), "an @ line never matches a user name");
        assertEquals(Optional.of("grouppw"), s.password("ann", List.of("x", "staff")));
    }

    @Test
    void longLinesAreSplitLikeFgets() {
        String longName = "a".repeat(1100);
        Secrets s = parse(longName + ":pw\nb:1\n");
        assertEquals(List.of(), passwords(s, longName, null));
        // fgets() hands the 77 bytes after the first 1023 back as a line of their own.
        assertEquals(List.of("pw"), passwords(s, "a".repeat(1100 - 1023), null));
    }

    @Test
    void rawBytesAreKept() {
        byte[] file = {'u', ':', (byte) 0xe9, 'x', '\n'};
        assertArrayEquals(new byte[] {(byte) 0xe9, 'x'}, Secrets.parse(file).lookup("u", null).passwords().get(0));
    }

    /** The §A.3.2 matrix: 600 ok, 640 ok, 601 ok, 602 reject, 644 reject (all verified with rsync 3.5.0 there). */
    @Test
    void strictModes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("secrets");
        Files.writeString(f, "alice:pw\n");
        for (String ok : List.of("rw-------", "rw-r-----", "rw------x")) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(ok));
            assertEquals(List.of("pw"), passwords(Secrets.load(f, true), "alice", null), ok);
        }
        for (String bad : List.of("rw-----w-", "rw-r--r--")) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(bad));
            Secrets.RejectedException e = assertThrows(Secrets.RejectedException.class, () -> Secrets.load(f, true));
            assertEquals("secrets file must not be other-accessible (see strict modes option)", e.getMessage());
            assertEquals("ignoring secrets file", e.authFailureReason());
            assertEquals(List.of("pw"), passwords(Secrets.load(f, false), "alice", null), "strict modes = no");
        }
    }

    @Test
    void rootRequiresRootOwnership(@TempDir Path dir) throws IOException {
        assumeTrue(Secrets.effectiveUid() == 0, "needs root (this machine runs tests as root)");
        Path f = dir.resolve("secrets");
        Files.writeString(f, "alice:pw\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(f, "unix:uid", 65534);
        Secrets.RejectedException e = assertThrows(Secrets.RejectedException.class, () -> Secrets.load(f, true));
        assertEquals("secrets file must be owned by root when running as root (see strict modes)", e.getMessage());
        assertEquals(List.of("pw"), passwords(Secrets.load(f, false), "alice", null));
    }

    @Test
    void missingFileFailsClosed(@TempDir Path dir) {
        Secrets.RejectedException e = assertThrows(Secrets.RejectedException.class,
                () -> Secrets.load(dir.resolve("none"), true));
        assertEquals("no secrets file", e.authFailureReason());
    }

    @Test
    void symlinkOwnedBySomeoneElseIsRefused(@TempDir Path dir) throws IOException {
        assumeTrue(Secrets.effectiveUid() == 0, "needs root to chown the link");
        Path target = dir.resolve("target");
        Files.writeString(target, "alice:pw\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertEquals(List.of("pw"), passwords(Secrets.load(link, true), "alice", null), "root-owned link is fine");
        Files.setAttribute(link, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertThrows(Secrets.RejectedException.class, () -> Secrets.load(link, true));
    }
}
