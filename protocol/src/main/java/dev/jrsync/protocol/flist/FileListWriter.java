package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

import static dev.jrsync.protocol.flist.Xmit.*;

/**
 * Sender side of the file list (protocols 27..32, no incremental recursion, no hard links, ACLs,
 * xattrs, atimes or crtimes). The "previous entry" state lives in this object and is never reset,
 * as in flist.c, so sub-lists can later continue through the same writer. Not thread-safe; blocks
 * in the {@link WireOutput}.
 *
 * <p>Entries must be valid: a name that is not a safe relative path (or "."), longer than 4095 UTF-8
 * bytes or containing NUL, a missing or wrongly sized checksum for a regular file under {@code -c},
 * a symlink target of 0 or more than 4095 bytes, or nsec outside 0..999999999 throws
 * {@link IllegalArgumentException} before anything of that entry is written.
 */
public final class FileListWriter {
    private final WireOutput out;
    private final FlistOptions opts;
    private final IdNames names;
    private final int protocol;

    private byte[] lastName = new byte[0];
    private int prevMode;
    private long prevMtime;
    private int prevUid;
    private int prevGid;
    private int prevRdevMajor;
    /** Protocol &lt; 28 rdev state: the whole dev_t as it goes on the wire. */
    private int prevRdev;
    private final SequencedSet<Integer> uidsSeen = new LinkedHashSet<>();
    private final SequencedSet<Integer> gidsSeen = new LinkedHashSet<>();
    private boolean ended;

    public FileListWriter(WireOutput out, FlistOptions opts, IdNames names) {
        this.out = out;
        this.opts = opts;
        this.names = names;
        this.protocol = opts.protocol();
    }

    /** Mirrors flist.c:send_file_entry(). */
    public void write(FileEntry e) throws IOException {
        if (ended) {
            throw new IllegalStateException("file list already ended");
        }
        byte[] name = checkName(e.name());
        byte[] target = checkTarget(e);
        byte[] sum = checkChecksum(e);
        if (e.mtimeNsec() < 0 || e.mtimeNsec() > MAX_WIRE_NSEC) {
            throw new IllegalArgumentException("nsec of " + e.name() + ": " + e.mtimeNsec()
                    + " (expected: 0.." + MAX_WIRE_NSEC + ")");
        }
        int mode = e.mode();
        boolean first = lastName.length == 0;

        int xflags = 0;
        if (e.isDir()) {
            if (protocol >= 30) {
                xflags = e.xflags() & (XMIT_TOP_DIR | XMIT_NO_CONTENT_DIR);
            } else if (e.isTopDir()) {
                xflags = XMIT_TOP_DIR;
            }
        }
        if (mode == prevMode) {
            xflags |= XMIT_SAME_MODE;
        } else {
            prevMode = mode;
        }

        boolean sendRdev = false;
        int major = 0;
        int minor = 0;
        if (opts.preserveDevices() && e.isDevice()) {
            sendRdev = true;
            major = e.rdevMajor();
            minor = e.rdevMinor();
            if (protocol < 28) {
                int rdev = oldRdev(major, minor);
                if (rdev == prevRdev) {
                    xflags |= XMIT_SAME_RDEV_pre28;
                } else {
                    prevRdev = rdev;
                }
            } else {
                if (major == prevRdevMajor) {
                    xflags |= XMIT_SAME_RDEV_MAJOR;
                } else {
                    prevRdevMajor = major;
                }
                if (protocol < 30 && Integer.compareUnsigned(minor, 0xFF) <= 0) {
                    xflags |= XMIT_RDEV_MINOR_8_pre30;
                }
            }
        } else if (opts.preserveSpecials() && e.isSpecial() && protocol < 31) {
            // Specials need no rdev; older protocols still carry one, sent as cheaply as possible.
            sendRdev = true;
            if (protocol < 28) {
                xflags |= XMIT_SAME_RDEV_pre28;
            } else {
                major = prevRdevMajor;
                xflags |= XMIT_SAME_RDEV_MAJOR;
                if (protocol < 30) {
                    xflags |= XMIT_RDEV_MINOR_8_pre30;
                }
            }
        } else if (protocol < 28) {
            prevRdev = 0;
        }

        if (!opts.preserveUid() || (e.uid() == prevUid && !first)) {
            xflags |= XMIT_SAME_UID;
        } else {
            prevUid = e.uid();
            if (!opts.numericIds()) {
                uidsSeen.add(e.uid());
            }
        }
        if (!opts.preserveGid() || (e.gid() == prevGid && !first)) {
            xflags |= XMIT_SAME_GID;
        } else {
            prevGid = e.gid();
            if (!opts.numericIds()) {
                gidsSeen.add(e.gid());
            }
        }
        if (e.mtime() == prevMtime) {
            xflags |= XMIT_SAME_TIME;
        } else {
            prevMtime = e.mtime();
        }
        if (e.mtimeNsec() != 0 && protocol >= 31) {
            xflags |= XMIT_MOD_NSEC;
        }

        int l1 = 0;
        int max = Math.min(Math.min(lastName.length, name.length), 255);
        while (l1 < max && name[l1] == lastName[l1]) {
            l1++;
        }
        int l2 = name.length - l1;
        if (l1 > 0) {
            xflags |= XMIT_SAME_NAME;
        }
        if (l2 > 255) {
            xflags |= XMIT_LONG_NAME;
        }

        // A zero flag value (or first byte) would end the list; XMIT_TOP_DIR means nothing on a
        // non-directory, so it is the filler bit.
        if (opts.varintFlags()) {
            out.writeVarint(xflags != 0 ? xflags : XMIT_EXTENDED_FLAGS);
        } else if (protocol >= 28) {
            if (xflags == 0 && !e.isDir()) {
                xflags |= XMIT_TOP_DIR;
            }
            if ((xflags & 0xFF00) != 0 || xflags == 0) {
                xflags |= XMIT_EXTENDED_FLAGS;
                out.writeShort(xflags);
            } else {
                out.writeByte(xflags);
            }
        } else {
            if ((xflags & 0xFF) == 0) {
                xflags |= e.isDir() ? XMIT_LONG_NAME : XMIT_TOP_DIR;
            }
            out.writeByte(xflags & 0xFF);
        }
        if ((xflags & XMIT_SAME_NAME) != 0) {
            out.writeByte(l1);
        }
        if ((xflags & XMIT_LONG_NAME) != 0) {
            writeVarint30(l2);
        } else {
            out.writeByte(l2);
        }
        out.write(name, l1, l2);

        writeVarlong30(e.size(), 3);
        if ((xflags & XMIT_SAME_TIME) == 0) {
            if (protocol >= 30) {
                out.writeVarlong(e.mtime(), 4);
            } else {
                out.writeInt((int) e.mtime());
            }
        }
        if ((xflags & XMIT_MOD_NSEC) != 0) {
            out.writeVarint(e.mtimeNsec());
        }
        if ((xflags & XMIT_SAME_MODE) == 0) {
            out.writeInt(mode);
        }
        if (opts.preserveUid() && (xflags & XMIT_SAME_UID) == 0) {
            writeVarint30(e.uid());
        }
        if (opts.preserveGid() && (xflags & XMIT_SAME_GID) == 0) {
            writeVarint30(e.gid());
        }
        if (sendRdev) {
            if (protocol < 28) {
                if ((xflags & XMIT_SAME_RDEV_pre28) == 0) {
                    out.writeInt(prevRdev);
                }
            } else {
                if ((xflags & XMIT_SAME_RDEV_MAJOR) == 0) {
                    writeVarint30(major);
                }
                if (protocol >= 30) {
                    out.writeVarint(minor);
                } else if ((xflags & XMIT_RDEV_MINOR_8_pre30) != 0) {
                    out.writeByte(minor);
                } else {
                    out.writeInt(minor);
                }
            }
        }
        if (target != null) {
            writeVarint30(target.length);
            out.write(target);
        }
        if (opts.checksumLength() > 0 && (e.isRegular() || protocol < 28)) {
            // Before protocol 28 every entry carried a (zero-filled) checksum.
            out.write(sum != null ? sum : new byte[opts.checksumLength()]);
        }
        lastName = name;
    }

    /**
     * Ends the list. Mirrors flist.c:write_end_of_flist(), uidlist.c:send_id_lists() and the tail of
     * send_file_list(): end marker (with io_error where the encoding allows), uid list, gid list,
     * then for protocols &lt; 30 an int32 io_error. Pass 0 under {@code --ignore-errors}. For protocol 30
     * without safe flist a non-zero io_error cannot go into the list: the caller must send it as
     * MSG_IO_ERROR (see {@link #needsIoErrorMessage(FlistOptions, int)}).
     */
    public void end(int ioError) throws IOException {
        if (ended) {
            throw new IllegalStateException("file list already ended");
        }
        ended = true;
        if (opts.varintFlags()) {
            out.writeVarint(0);
            out.writeVarint(opts.safeFlist() ? ioError : 0);
        } else if (ioError != 0 && opts.safeFlist()) {
            out.writeShort(XMIT_EXTENDED_FLAGS | XMIT_IO_ERROR_ENDLIST);
            out.writeVarint(ioError);
        } else {
            out.writeByte(0);
        }
        if (!opts.numericIds()) {
            if (opts.preserveUid()) {
                writeIdList(uidsSeen, true);
            }
            if (opts.preserveGid()) {
                writeIdList(gidsSeen, false);
            }
        }
        if (protocol < 30) {
            out.writeInt(ioError);
        }
    }

    /** True when {@link #end(int)} could not put {@code ioError} on the wire and MSG_IO_ERROR must carry it. */
    public static boolean needsIoErrorMessage(FlistOptions opts, int ioError) {
        return ioError != 0 && opts.protocol() >= 30 && !opts.safeFlist();
    }

    // Mirrors uidlist.c:send_one_list(): stock prepends each new id to its list, so ids go out
    // newest first; id 0 is never in the list, its name (if negotiated) rides on the terminator.
    private void writeIdList(SequencedSet<Integer> ids, boolean users) throws IOException {
        List<Integer> order = new ArrayList<>(ids.reversed());
        for (int id : order) {
            if (id == 0) {
                continue;
            }
            byte[] n = idName(id, users);
            if (n != null) {
                writeVarint30(id);
                out.writeByte(n.length);
                out.write(n);
            }
        }
        writeVarint30(0);
        if (opts.xmitId0Names()) {
            byte[] n = idName(0, users);
            n = n == null ? new byte[0] : n;
            out.writeByte(n.length);
            out.write(n);
        }
    }

    /** A name longer than the one-byte length field allows is left out (the peer keeps the number). */
    private byte[] idName(int id, boolean users) {
        String s = users ? names.userName(id) : names.groupName(id);
        if (s == null || s.isEmpty()) {
            return null;
        }
        byte[] b = dev.jrsync.protocol.fs.NameBytes.encode(s);
        return b.length > 255 ? null : b;
    }

    private byte[] checkName(String s) {
        byte[] name = dev.jrsync.protocol.fs.NameBytes.encode(s);
        if (name.length >= MAXPATHLEN) {
            throw new IllegalArgumentException("name length: " + name.length + " bytes (expected: < " + MAXPATHLEN
                    + ")");
        }
        byte[] checked = name;
        if (opts.relativePaths() && name.length > 1 && name[0] == '/') {
            checked = Arrays.copyOfRange(name, 1, name.length);
        }
        String reason = Names.unsafeReason(checked);
        if (reason != null) {
            throw new IllegalArgumentException("name " + s + ": " + reason + " (expected: a relative path)");
        }
        return name;
    }

    private byte[] checkTarget(FileEntry e) {
        if (!(opts.preserveLinks() && e.isSymlink())) {
            return null;
        }
        if (e.linkTarget() == null) {
            throw new IllegalArgumentException("symlink " + e.name() + ": no target");
        }
        byte[] t = dev.jrsync.protocol.fs.NameBytes.encode(e.linkTarget());
        if (t.length == 0 || t.length >= MAXPATHLEN) {
            throw new IllegalArgumentException("symlink target length of " + e.name() + ": " + t.length
                    + " (expected: 1.." + (MAXPATHLEN - 1) + ")");
        }
        return t;
    }

    private byte[] checkChecksum(FileEntry e) {
        if (opts.checksumLength() == 0 || !e.isRegular()) {
            return null;
        }
        byte[] sum = e.checksum();
        if (sum == null || sum.length != opts.checksumLength()) {
            throw new IllegalArgumentException("checksum of " + e.name() + ": "
                    + (sum == null ? "none" : sum.length + " bytes") + " (expected: " + opts.checksumLength()
                    + " bytes)");
        }
        return sum;
    }

    /** glibc's dev_t layout truncated to 32 bits, as a protocol &lt; 28 sender's (int) cast does. */
    static int oldRdev(int major, int minor) {
        return (minor & 0xFF) | (major & 0xFFF) << 8 | (minor & ~0xFF) << 12;
    }

    private void writeVarint30(int v) throws IOException {
        if (protocol < 30) {
            out.writeInt(v);
        } else {
            out.writeVarint(v);
        }
    }

    private void writeVarlong30(long v, int minBytes) throws IOException {
        if (protocol < 30) {
            out.writeLongint(v);
        } else {
            out.writeVarlong(v, minBytes);
        }
    }
}
