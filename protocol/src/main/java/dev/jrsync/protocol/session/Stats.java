package dev.jrsync.protocol.session;

import java.util.concurrent.atomic.AtomicLong;

/** Transfer statistics (rsync.h struct stats). Fields are atomic: generator and receiver update them. */
public final class Stats {
    public final AtomicLong numFiles = new AtomicLong();
    public final AtomicLong numDirs = new AtomicLong();
    public final AtomicLong numSymlinks = new AtomicLong();
    public final AtomicLong numDevices = new AtomicLong();
    public final AtomicLong numSpecials = new AtomicLong();
    public final AtomicLong createdFiles = new AtomicLong();
    public final AtomicLong createdDirs = new AtomicLong();
    public final AtomicLong createdSymlinks = new AtomicLong();
    public final AtomicLong createdDevices = new AtomicLong();
    public final AtomicLong createdSpecials = new AtomicLong();
    public final AtomicLong deletedFiles = new AtomicLong();
    public final AtomicLong deletedDirs = new AtomicLong();
    public final AtomicLong deletedSymlinks = new AtomicLong();
    public final AtomicLong deletedDevices = new AtomicLong();
    public final AtomicLong deletedSpecials = new AtomicLong();
    public final AtomicLong transferredFiles = new AtomicLong();
    public final AtomicLong totalSize = new AtomicLong();
    public final AtomicLong transferredSize = new AtomicLong();
    public final AtomicLong literalData = new AtomicLong();
    public final AtomicLong matchedData = new AtomicLong();
    public final AtomicLong flistSize = new AtomicLong();
    public final AtomicLong flistBuildMillis = new AtomicLong();
    public final AtomicLong flistTransferMillis = new AtomicLong();
    /** Counts one file-list entry in "Number of files" (and its per-type breakdown). */
    public void countEntry(dev.jrsync.protocol.flist.FileEntry e) {
        numFiles.incrementAndGet();
        if (e.isDir()) {
            numDirs.incrementAndGet();
        } else if (e.isSymlink()) {
            numSymlinks.incrementAndGet();
        } else if (e.isDevice()) {
            numDevices.incrementAndGet();
        } else if (e.isSpecial()) {
            numSpecials.incrementAndGet();
        }
    }

    /** A copy of the counters as they are now (for a finished transfer's result). */
    public Stats snapshot() {
        Stats c = new Stats();
        java.lang.reflect.Field[] fields = Stats.class.getFields();
        for (java.lang.reflect.Field f : fields) {
            try {
                if (f.getType() == AtomicLong.class) {
                    ((AtomicLong) f.get(c)).set(((AtomicLong) f.get(this)).get());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        c.peerRead = peerRead;
        c.peerWritten = peerWritten;
        return c;
    }

    /** The values a server sender reports at the end (its bytes read and written). */
    public volatile long peerRead = -1;
    public volatile long peerWritten = -1;
}
