package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.fs.Modes;

import dev.jrsync.protocol.MemoryBudget;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.jrsync.protocol.flist.Xmit.*;

/**
 * Receiver side of the file list (protocols 27..32, no incremental recursion, no hard links, ACLs,
 * xattrs, atimes or crtimes). Keeps the "previous entry" state across calls, as flist.c does, so
 * sub-lists can later be read through the same reader. Not thread-safe; blocks on the
 * {@link WireInput}.
 *
 * <p>Every peer value is checked before use: unsafe names end the session like stock
 * ("ABORTING due to unsafe pathname from sender", exit 4); everything else is a protocol error
 * (exit 2) naming the value and what was expected. For protocols &lt; 30 the reader reconstructs
 * which directories are content directories (flist.c's in_del_hier) and records the answer in the
 * XMIT_NO_CONTENT_DIR bit of {@link FileEntry#xflags()}, so that bit means the same for every protocol.
 */
public final class FileListReader {
    /**
     * Upper bound on entries per list. Stock rsync keeps a pointer per entry in one array limited by
     * --max-alloc (1 GiB by default, i.e. 128M pointers) plus ~100 bytes per entry; 64M entries
     * already means several GiB of heap here, so a longer list is treated as hostile.
     */
    public static final int MAX_ENTRIES = 1 << 26;

    private final WireInput in;
    private final FlistOptions opts;
    private final int protocol;
    private final int maxEntries;

    private byte[] lastName = new byte[0];
    private int prevMode;
    private long prevMtime;
    private int prevUid;
    private int prevGid;
    private int prevRdevMajor;
    private int prevRdev;
    private boolean inDelHier;
    private int delHierNameLen;
    private final Map<Integer, String> uidNames = new HashMap<>();
    private final Map<Integer, String> gidNames = new HashMap<>();

    /**
     * Heap an entry costs beyond its strings (the record, the list slots of the received and the
     * sorted list, the boxed fields); a deliberate over-estimate.
     */
    static final int ENTRY_OVERHEAD = 160;

    private final MemoryBudget memory;

    /** A reader charging entries to rsync's default 1 GiB budget. */
    public FileListReader(WireInput in, FlistOptions opts) {
        this(in, opts, MemoryBudget.sessionDefault());
    }

    /** A reader charging every entry's estimated heap to {@code memory} (exit 22 when it is exhausted). */
    public FileListReader(WireInput in, FlistOptions opts, MemoryBudget memory) {
        this(in, opts, MAX_ENTRIES, memory);
    }

    FileListReader(WireInput in, FlistOptions opts, int maxEntries, MemoryBudget memory) {
        this.in = in;
        this.opts = opts;
        this.protocol = opts.protocol();
        this.maxEntries = maxEntries;
        this.memory = memory;
    }

    /** Estimated heap of one entry: Latin-1 strings take a byte per char, others two. */
    static long heapEstimate(FileEntry e) {
        long bytes = ENTRY_OVERHEAD + 2L * e.name().length();
        if (e.linkTarget() != null) {
            bytes += 48 + 2L * e.linkTarget().length();
        }
        if (e.checksum() != null) {
            bytes += 16 + e.checksum().length;
        }
        return bytes;
    }

    /**
     * Reads entries up to the end marker, then the id lists and (protocol &lt; 30) the io_error int.
     * Mirrors flist.c:recv_file_list() and uidlist.c:recv_id_list().
     */
    public FileListResult readAll() throws IOException {
        List<FileEntry> entries = new ArrayList<>();
        int ioError = 0;
        while (true) {
            int flags;
            if (opts.varintFlags()) {
                flags = in.readVarint();
                if (flags == 0) {
                    ioError |= in.readVarint() & IOERR_VALID_MASK;
                    break;
                }
            } else {
                flags = in.readByte();
                if (flags == 0) {
                    break;
                }
                if (protocol >= 28 && (flags & XMIT_EXTENDED_FLAGS) != 0) {
                    flags |= in.readByte() << 8;
                }
                if (flags == (XMIT_EXTENDED_FLAGS | XMIT_IO_ERROR_ENDLIST)) {
                    if (!opts.safeFlist()) {
                        throw RsyncException.protocol("Invalid flist flag: 0x" + Integer.toHexString(flags)
                                + " (expected: an io_error end marker only with a safe file list)");
                    }
                    ioError |= in.readVarint() & IOERR_VALID_MASK;
                    break;
                }
            }
            if (entries.size() >= maxEntries) {
                throw RsyncException.protocol("file-list entries: more than " + maxEntries + " (expected: <= "
                        + maxEntries + ")");
            }
            FileEntry entry = readEntry(flags);
            memory.reserve(heapEstimate(entry));
            entries.add(entry);
        }
        if (!opts.numericIds()) {
            if (opts.preserveUid()) {
                readIdList(uidNames, "uid", entries.size());
            }
            if (opts.preserveGid()) {
                readIdList(gidNames, "gid", entries.size());
            }
        }
        if (protocol < 30) {
            ioError |= in.readInt() & IOERR_VALID_MASK;
        }
        return new FileListResult(entries, ioError, uidNames, gidNames);
    }

    /** Mirrors flist.c:recv_file_entry(). */
    private FileEntry readEntry(int flags) throws IOException {
        if (protocol >= 28 && (flags & XMIT_HLINKED) != 0) {
            throw RsyncException.protocol("file-list flags: 0x" + Integer.toHexString(flags)
                    + " carry XMIT_HLINKED (expected: no hard-link data, -H was not negotiated)");
        }
        int l1 = (flags & XMIT_SAME_NAME) != 0 ? in.readByte() : 0;
        int l2 = (flags & XMIT_LONG_NAME) != 0 ? readVarint30() : in.readByte();
        if (l1 > lastName.length) {
            throw RsyncException.protocol("file-name prefix length: " + l1 + " (expected: <= " + lastName.length
                    + ", the length of the previous name)");
        }
        if (l2 < 0 || l2 >= MAXPATHLEN - l1) {
            throw RsyncException.protocol("file-name length: " + l1 + " + " + (l2 & 0xFFFFFFFFL)
                    + " bytes (expected: < " + MAXPATHLEN + ")");
        }
        byte[] raw = Arrays.copyOf(lastName, l1 + l2);
        in.readFully(raw, l1, l2);
        lastName = raw;
        String name = checkName(raw);

        long size = readVarlong30(3);
        if ((flags & XMIT_SAME_TIME) == 0) {
            prevMtime = protocol >= 30 ? in.readVarlong(4) : in.readUInt();
        }
        int nsec = 0;
        if ((flags & XMIT_MOD_NSEC) != 0) {
            nsec = in.readVarint();
            if (nsec < 0 || nsec > MAX_WIRE_NSEC) {
                throw RsyncException.protocol("mtime nsec of " + name + ": " + (nsec & 0xFFFFFFFFL)
                        + " (expected: 0.." + MAX_WIRE_NSEC + ")");
            }
        }
        if ((flags & XMIT_SAME_MODE) == 0) {
            prevMode = in.readInt();
        }
        int mode = prevMode;
        checkMode(mode, name);
        int type = mode & Modes.S_IFMT;
        boolean isDir = type == Modes.S_IFDIR;
        boolean isDevice = type == Modes.S_IFCHR || type == Modes.S_IFBLK;
        boolean isSpecial = type == Modes.S_IFIFO || type == Modes.S_IFSOCK;

        if (opts.preserveUid() && (flags & XMIT_SAME_UID) == 0) {
            prevUid = readVarint30();
            if (protocol >= 30 && (flags & XMIT_USER_NAME_FOLLOWS) != 0) {
                readInlineName(uidNames, prevUid);
            }
        }
        if (opts.preserveGid() && (flags & XMIT_SAME_GID) == 0) {
            prevGid = readVarint30();
            if (protocol >= 30 && (flags & XMIT_GROUP_NAME_FOLLOWS) != 0) {
                readInlineName(gidNames, prevGid);
            }
        }

        int major = 0;
        int minor = 0;
        if ((opts.preserveDevices() && isDevice) || (opts.preserveSpecials() && isSpecial && protocol < 31)) {
            if (protocol < 28) {
                if ((flags & XMIT_SAME_RDEV_pre28) == 0) {
                    prevRdev = in.readInt();
                }
                major = prevRdev >>> 8 & 0xFFF;
                minor = (prevRdev & 0xFF) | (prevRdev >>> 12 & 0xFFF00);
            } else {
                if ((flags & XMIT_SAME_RDEV_MAJOR) == 0) {
                    prevRdevMajor = readVarint30();
                }
                major = prevRdevMajor;
                if (protocol >= 30) {
                    minor = in.readVarint();
                } else if ((flags & XMIT_RDEV_MINOR_8_pre30) != 0) {
                    minor = in.readByte();
                } else {
                    minor = in.readInt();
                }
            }
            size = 0;
        } else if (isDevice) {
            size = 0;
        } else if (protocol < 28) {
            prevRdev = 0;
        }
        if (!isDevice) {
            major = 0;
            minor = 0;
        }

        String target = null;
        if (opts.preserveLinks() && type == Modes.S_IFLNK) {
            int len = readVarint30();
            if (len <= 0 || len >= MAXPATHLEN) {
                throw RsyncException.protocol("symlink target length of " + name + ": " + (len & 0xFFFFFFFFL)
                        + " (expected: 1.." + (MAXPATHLEN - 1) + ")");
            }
            byte[] t = new byte[len];
            in.readFully(t, 0, len);
            for (byte b : t) {
                if (b == 0) {
                    throw RsyncException.protocol("symlink target of " + name + ": contains a NUL byte"
                            + " (expected: a C string)");
                }
            }
            target = dev.jrsync.protocol.fs.NameBytes.decode(t);
        }

        byte[] sum = null;
        if (opts.checksumLength() > 0 && (type == Modes.S_IFREG || protocol < 28)) {
            byte[] b = new byte[opts.checksumLength()];
            in.readFully(b, 0, b.length);
            if (type == Modes.S_IFREG) {
                sum = b;
            }
        }
        if (size < 0) {
            throw RsyncException.protocol("file length of " + name + ": " + size + " (expected: >= 0)");
        }
        if (name.equals(".") && !isDir) {
            throw RsyncException.protocol("transfer-root entry \".\": mode 0" + Integer.toOctalString(mode)
                    + " (expected: a directory)");
        }

        int xflags = flags;
        if (isDir && protocol < 30) {
            xflags = (flags & ~XMIT_NO_CONTENT_DIR) | (isContentDirPre30(flags, l1, l2, raw, name)
                    ? 0 : XMIT_NO_CONTENT_DIR);
        }
        int uid = opts.preserveUid() ? prevUid : 0;
        int gid = opts.preserveGid() ? prevGid : 0;
        return new FileEntry(name, mode, size, prevMtime, nsec, uid, gid, major, minor, target, sum, xflags);
    }

    /**
     * Mirrors the protocol &lt; 30 branch of flist.c:recv_file_entry(): a XMIT_TOP_DIR directory is a
     * content dir and, when recursing, so is every directory after it that lies beneath it.
     */
    private boolean isContentDirPre30(int flags, int l1, int l2, byte[] raw, String name) {
        if ((flags & XMIT_TOP_DIR) != 0) {
            inDelHier = opts.recursive();
            delHierNameLen = name.equals(".") ? 0 : l1 + l2;
            return true;
        }
        if (inDelHier) {
            if (!opts.relativePaths() || delHierNameLen == 0
                    || (l1 >= delHierNameLen && raw.length > delHierNameLen && raw[delHierNameLen] == '/')) {
                return true;
            }
            inDelHier = false;
        }
        return false;
    }

    private String checkName(byte[] raw) throws RsyncException {
        byte[] rel = raw;
        if (opts.relativePaths() && raw.length > 1 && raw[0] == '/') {
            // --relative senders keep a leading slash; stock strips it after sorting (strip_root).
            rel = Arrays.copyOfRange(raw, 1, raw.length);
        }
        String reason = Names.unsafeReason(rel);
        if (reason == null && !opts.relativePaths() && raw.length > 0 && raw[0] == '/') {
            reason = "absolute path";
        }
        if (reason != null) {
            throw Names.unsafe(dev.jrsync.protocol.fs.NameBytes.decode(raw), reason);
        }
        return dev.jrsync.protocol.fs.NameBytes.decode(rel);
    }

    private static void checkMode(int mode, String name) throws RsyncException {
        switch (mode & Modes.S_IFMT) {
            case Modes.S_IFREG, Modes.S_IFDIR, Modes.S_IFLNK, Modes.S_IFCHR, Modes.S_IFBLK,
                 Modes.S_IFIFO, Modes.S_IFSOCK -> {
            }
            default -> throw RsyncException.protocol("invalid file mode 0" + Integer.toOctalString(mode) + " for "
                    + name + " (expected: a regular file, directory, symlink, device, FIFO or socket)");
        }
    }

    private void readInlineName(Map<Integer, String> names, int id) throws IOException {
        String n = readIdName();
        if (n != null) {
            names.put(id, n);
        }
    }

    // Mirrors uidlist.c:recv_id_list(). Each listed id must belong to some entry, which bounds the list.
    private void readIdList(Map<Integer, String> names, String what, int entryCount) throws IOException {
        int count = 0;
        int id;
        while ((id = readVarint30()) != 0) {
            if (++count > entryCount) {
                throw RsyncException.protocol(what + " list: more than " + entryCount
                        + " ids (expected: at most one per file-list entry)");
            }
            String n = readIdName();
            if (n != null) {
                names.put(id, n);
            }
        }
        if (opts.xmitId0Names()) {
            String n = readIdName();
            if (n != null) {
                names.put(0, n);
            }
        }
    }

    /** One length byte and the name; an empty name means "no name". Bad UTF-8 is replaced, never fatal. */
    private String readIdName() throws IOException {
        int len = in.readByte();
        if (len == 0) {
            return null;
        }
        byte[] b = new byte[len];
        in.readFully(b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    private int readVarint30() throws IOException {
        return protocol < 30 ? in.readInt() : in.readVarint();
    }

    private long readVarlong30(int minBytes) throws IOException {
        return protocol < 30 ? in.readLongint() : in.readVarlong(minBytes);
    }
}
