package dev.jrsync.client;

import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.fs.Modes;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line of a --list-only listing (generator.c:list_file_entry(), lib/permstring.c,
 * util1.c:timestring()): mode string, size right-aligned (14 columns when numbers are grouped,
 * 11 without), local modification time, name, and " -> target" for symlinks under -l.
 * Immutable; thread-safe.
 */
final class ListFileEntry {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss");

    private final int humanLevel;
    private final boolean links;
    private final ZoneId zone;

    ListFileEntry(int humanLevel, boolean links, ZoneId zone) {
        this.humanLevel = humanLevel;
        this.links = links;
        this.zone = zone;
    }

    String line(FileEntry e) {
        int width = humanLevel > 0 ? 14 : 11;
        String size = HumanNum.format(e.size(), humanLevel);
        String arrow = links && e.isSymlink() && e.linkTarget() != null ? " -> " + e.linkTarget() : "";
        return permstring(e.mode()) + " " + " ".repeat(Math.max(0, width - size.length())) + size + " "
                + timestring(e.mtime()) + " " + e.name() + arrow;
    }

    String timestring(long epochSeconds) {
        return LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), zone).format(TIME);
    }

    /** lib/permstring.c:permstring(): ls(1)-style type and permission letters. */
    static String permstring(int mode) {
        char[] p = "----------".toCharArray();
        String map = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) {
                p[9 - i] = map.charAt(8 - i);
            }
        }
        if ((mode & 04000) != 0) {
            p[3] = (mode & 0100) != 0 ? 's' : 'S';
        }
        if ((mode & 02000) != 0) {
            p[6] = (mode & 0010) != 0 ? 's' : 'S';
        }
        if ((mode & 01000) != 0) {
            p[9] = (mode & 0001) != 0 ? 't' : 'T';
        }
        int type = mode & Modes.S_IFMT;
        p[0] = switch (type) {
            case Modes.S_IFDIR -> 'd';
            case Modes.S_IFLNK -> 'l';
            case Modes.S_IFBLK -> 'b';
            case Modes.S_IFCHR -> 'c';
            case Modes.S_IFSOCK -> 's';
            case Modes.S_IFIFO -> 'p';
            default -> '-';
        };
        return new String(p);
    }
}
