package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.fs.Modes;

import static dev.jrsync.protocol.fs.Modes.S_IFBLK;
import static dev.jrsync.protocol.fs.Modes.S_IFCHR;
import static dev.jrsync.protocol.fs.Modes.S_IFDIR;
import static dev.jrsync.protocol.fs.Modes.S_IFIFO;
import static dev.jrsync.protocol.fs.Modes.S_IFLNK;
import static dev.jrsync.protocol.fs.Modes.S_IFMT;
import static dev.jrsync.protocol.fs.Modes.S_IFREG;
import static dev.jrsync.protocol.fs.Modes.S_IFSOCK;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One file-list entry as it travels on the wire. Immutable (the checksum array is copied in and
 * out), so instances may be shared between threads.
 *
 * @param name       relative path, '/'-separated, no trailing slash; "." is the transfer root
 * @param mode       full st_mode including the file-type bits
 * @param size       st_size (directories: as the sender saw it; symlinks: target length; devices: 0)
 * @param mtime      seconds since the epoch (protocols &lt; 30 carry it as unsigned 32 bits)
 * @param mtimeNsec  0..999999999; only protocols &ge; 31 carry it
 * @param uid        owner id as the sender sees it (0 when uids are not preserved)
 * @param gid        group id as the sender sees it (0 when gids are not preserved)
 * @param rdevMajor  device major (char/block devices only, else 0)
 * @param rdevMinor  device minor (char/block devices only, else 0)
 * @param linkTarget symlink target, only for symlinks (else null)
 * @param checksum   whole-file checksum for {@code -c} (regular files only), else null
 * @param xflags     XMIT_* bits: for directories XMIT_TOP_DIR / XMIT_NO_CONTENT_DIR in protocol-30
 *                   meaning; entries from {@link FileListReader} keep every flag bit the reader saw
 */
public record FileEntry(String name, int mode, long size, long mtime, int mtimeNsec, int uid, int gid,
                        int rdevMajor, int rdevMinor, String linkTarget, byte[] checksum, int xflags) {

    public FileEntry {
        Objects.requireNonNull(name, "name");
        checksum = checksum == null ? null : checksum.clone();
    }

    /** A regular file, directory or other entry without owner, device, link or checksum data. */
    public static FileEntry of(String name, int mode, long size, long mtime) {
        return new FileEntry(name, mode, size, mtime, 0, 0, 0, 0, 0, null, null, 0);
    }

    @Override
    public byte[] checksum() {
        return checksum == null ? null : checksum.clone();
    }

    public int fileType() {
        return mode & S_IFMT;
    }

    public boolean isDir() {
        return fileType() == S_IFDIR;
    }

    public boolean isRegular() {
        return fileType() == S_IFREG;
    }

    public boolean isSymlink() {
        return fileType() == S_IFLNK;
    }

    /** Character or block device. */
    public boolean isDevice() {
        return fileType() == S_IFCHR || fileType() == S_IFBLK;
    }

    /** FIFO or socket. */
    public boolean isSpecial() {
        return fileType() == S_IFIFO || fileType() == S_IFSOCK;
    }

    /** A directory named on the command line whose contents are transferred (rsync's FLAG_TOP_DIR). */
    public boolean isTopDir() {
        return isDir() && (xflags & Xmit.XMIT_TOP_DIR) != 0 && (xflags & Xmit.XMIT_NO_CONTENT_DIR) == 0;
    }

    /** A directory whose contents are part of the transfer; only these are swept by --delete. */
    public boolean isContentDir() {
        return isDir() && (xflags & Xmit.XMIT_NO_CONTENT_DIR) == 0;
    }

    /** An implied parent directory of a {@code -R} path (rsync's FLAG_IMPLIED_DIR). */
    public boolean isImpliedDir() {
        return isDir() && (xflags & (Xmit.XMIT_TOP_DIR | Xmit.XMIT_NO_CONTENT_DIR))
                == (Xmit.XMIT_TOP_DIR | Xmit.XMIT_NO_CONTENT_DIR);
    }

    public int permissions() {
        return mode & 07777;
    }

    public FileEntry withName(String newName) {
        return new FileEntry(newName, mode, size, mtime, mtimeNsec, uid, gid, rdevMajor, rdevMinor, linkTarget,
                checksum, xflags);
    }

    public FileEntry withMtime(long newMtime, int newNsec) {
        return new FileEntry(name, mode, size, newMtime, newNsec, uid, gid, rdevMajor, rdevMinor, linkTarget,
                checksum, xflags);
    }

    public FileEntry withOwner(int newUid, int newGid) {
        return new FileEntry(name, mode, size, mtime, mtimeNsec, newUid, newGid, rdevMajor, rdevMinor, linkTarget,
                checksum, xflags);
    }

    public FileEntry withRdev(int major, int minor) {
        return new FileEntry(name, mode, size, mtime, mtimeNsec, uid, gid, major, minor, linkTarget, checksum,
                xflags);
    }

    public FileEntry withLinkTarget(String target) {
        return new FileEntry(name, mode, size, mtime, mtimeNsec, uid, gid, rdevMajor, rdevMinor, target, checksum,
                xflags);
    }

    public FileEntry withChecksum(byte[] sum) {
        return new FileEntry(name, mode, size, mtime, mtimeNsec, uid, gid, rdevMajor, rdevMinor, linkTarget, sum,
                xflags);
    }

    public FileEntry withXflags(int newXflags) {
        return new FileEntry(name, mode, size, mtime, mtimeNsec, uid, gid, rdevMajor, rdevMinor, linkTarget,
                checksum, newXflags);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEntry e && name.equals(e.name) && mode == e.mode && size == e.size
                && mtime == e.mtime && mtimeNsec == e.mtimeNsec && uid == e.uid && gid == e.gid
                && rdevMajor == e.rdevMajor && rdevMinor == e.rdevMinor && Objects.equals(linkTarget, e.linkTarget)
                && Arrays.equals(checksum, e.checksum) && xflags == e.xflags;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mode, size, mtime, mtimeNsec, uid, gid, rdevMajor, rdevMinor, linkTarget,
                Arrays.hashCode(checksum), xflags);
    }

    @Override
    public String toString() {
        return "FileEntry[" + name + " mode=0" + Integer.toOctalString(mode) + " size=" + size + " mtime=" + mtime
                + "." + mtimeNsec + " uid=" + uid + " gid=" + gid + " rdev=" + rdevMajor + "," + rdevMinor
                + (linkTarget == null ? "" : " -> " + linkTarget)
                + (checksum == null ? "" : " sum=" + HexFormat.of().formatHex(checksum))
                + " xflags=0x" + Integer.toHexString(xflags) + "]";
    }
}
