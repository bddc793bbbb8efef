package dev.jrsync.daemon.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * open_no_attacker_symlinks(): links owned by root or by us are followed (leaf, parent, chains, ".."
 * after a link), a link owned by anyone else anywhere on the path refuses the open with ELOOP, for reads,
 * appends and &include/&merge files; the pid file's link is replaced, not followed. Planting a link owned
 * by another user needs root.
 */
class NoAttackerSymlinksTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    @BeforeEach
    void root() {
        assumeTrue(Secrets.effectiveUid() == 0, "planting a symlink owned by another user needs root");
    }

    private static Path plant(Path link, Path target, int uid) throws Exception {
        Files.createSymbolicLink(link, target);
        Files.setAttribute(link, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        return link;
    }

    @Test
    void trustedLinksAreFollowedUntrustedOnesRefused() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.writeString(real.resolve("f"), "content");
        plant(dir.resolve("trusted-dir"), real, 0);
        plant(dir.resolve("trusted-leaf"), real.resolve("f"), 0);
        plant(dir.resolve("chain"), dir.resolve("trusted-leaf"), 0);
        plant(dir.resolve("bad-dir"), real, NOBODY);
        plant(dir.resolve("bad-leaf"), real.resolve("f"), NOBODY);
        plant(dir.resolve("to-bad"), dir.resolve("bad-leaf"), 0);
        for (String ok : new String[] {"real/f", "trusted-dir/f", "trusted-leaf", "chain", "trusted-dir/../real/f"}) {
            assertArrayEquals("content".getBytes(), NoAttackerSymlinks.read(dir.resolve(ok), 100), ok);
        }
        for (String bad : new String[] {"bad-dir/f", "bad-leaf", "to-bad", "trusted-dir/../bad-leaf"}) {
            NoAttackerSymlinks.RefusedException e = assertThrows(NoAttackerSymlinks.RefusedException.class,
                    () -> NoAttackerSymlinks.read(dir.resolve(bad), 100), bad);
            assertEquals(NoAttackerSymlinks.ELOOP, NoAttackerSymlinks.strerror(e));
        }
        Path loop = plant(dir.resolve("loop"), dir.resolve("loop"), 0);
        assertThrows(NoAttackerSymlinks.RefusedException.class, () -> NoAttackerSymlinks.read(loop, 100));
    }

    @Test
    void appendCreatesButNeverThroughAPlant() throws Exception {
        Path victims = Files.createDirectories(dir.resolve("victims"));
        Path planted = plant(dir.resolve("log"), victims.resolve("leaked.log"), NOBODY);
        assertThrows(NoAttackerSymlinks.RefusedException.class, () -> NoAttackerSymlinks.append(planted));
        plant(dir.resolve("bad-parent"), victims, NOBODY);
        assertThrows(NoAttackerSymlinks.RefusedException.class,
                () -> NoAttackerSymlinks.append(dir.resolve("bad-parent/new.log")));
        assertFalse(Files.exists(victims.resolve("leaked.log")));
        assertFalse(Files.exists(victims.resolve("new.log")));
        try (OutputStream out = NoAttackerSymlinks.append(dir.resolve("fresh.log"))) {
            out.write('x');
        }
        assertEquals("x", Files.readString(dir.resolve("fresh.log")));
    }

    @Test
    void includeAndMergeFilesThroughAPlantAreRefused() throws Exception {
        Path inc = Files.writeString(dir.resolve("real.inc"), "[leak]\n path = /\n");
        Path planted = plant(dir.resolve("planted.inc"), inc, NOBODY);
        for (String directive : new String[] {"&include", "&merge"}) {
            String conf = "use chroot = no\n" + directive + " " + planted + "\n";
            ConfigException e = assertThrows(ConfigException.class,
                    () -> RsyncdConf.parse(conf, dir.resolve("rsyncd.conf")), directive);
            assertTrue(e.getMessage().contains("unable to open config file \"" + planted + "\": "
                    + NoAttackerSymlinks.ELOOP), e.getMessage());
        }
        Path trusted = plant(dir.resolve("trusted.inc"), inc, 0);
        assertTrue(RsyncdConf.parse("use chroot = no\n&include " + trusted + "\n", dir.resolve("rsyncd.conf"))
                .module("leak").isPresent());
        Path conf = Files.writeString(dir.resolve("real.conf"), "[m]\n path = /tmp\n");
        Path plantedConf = plant(dir.resolve("planted.conf"), conf, NOBODY);
        assertThrows(ConfigException.class, () -> RsyncdConf.load(plantedConf));
    }
}
