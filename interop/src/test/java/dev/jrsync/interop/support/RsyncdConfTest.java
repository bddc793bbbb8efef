package dev.jrsync.interop.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RsyncdConfTest {

    @TempDir
    Path tmp;

    @Test
    void modulesGetSafeDefaultsThatTheirOwnParametersOverride() throws Exception {
        Path conf = tmp.resolve("rsyncd.conf");
        RsyncdConf.write(conf, Map.of("pid file", "/tmp/x.pid"), List.of(
                ModuleSpec.of("one", tmp.resolve("dir one")).writable(),
                ModuleSpec.of("two", tmp).with("Use Chroot", "yes").with("write only", "yes")));
        String text = Files.readString(conf);
        int uid = (Integer) Files.getAttribute(conf, "unix:uid");
        assertTrue(text.contains("pid file = /tmp/x.pid\n"), text);
        String one = text.substring(text.indexOf("[one]"), text.indexOf("[two]"));
        for (String line : List.of("path = " + tmp.resolve("dir one"), "use chroot = no", "munge symlinks = no",
                "uid = " + uid, "read only = no")) {
            assertTrue(one.contains(line + "\n"), one);
        }
        String two = text.substring(text.indexOf("[two]"));
        assertTrue(two.contains("Use Chroot = yes\n"), two);
        assertFalse(two.contains("use chroot = no"), two);
        assertTrue(two.contains("write only = yes\n"), two);
    }

    @Test
    void rejectsValuesThatWouldBreakTheFile() {
        assertThrows(IllegalArgumentException.class, () -> ModuleSpec.of("a]b", tmp));
        assertThrows(IllegalArgumentException.class, () -> RsyncdConf.write(tmp.resolve("c"), Map.of(),
                List.of(ModuleSpec.of("m", tmp).with("comment", "two\nlines"))));
        assertThrows(IllegalArgumentException.class, () -> RsyncdConf.writeSecrets(tmp.resolve("s"),
                Map.of("a:b", "pw")));
    }

    @Test
    void secretsFileIsPrivate() throws Exception {
        Path s = RsyncdConf.writeSecrets(tmp.resolve("secrets"), Map.of("alice", "pw"));
        assertEquals("alice:pw\n", Files.readString(s));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s)));
    }
}
