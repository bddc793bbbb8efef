package dev.jrsync.protocol.flist;

import java.util.List;
import java.util.Map;

/**
 * A received file list: entries in wire order, the io_error bits the sender reported (masked with
 * IOERR_VALID_MASK) and the sender's uid/gid names (id lists and inline names). Immutable.
 */
public record FileListResult(List<FileEntry> entries, int ioError, Map<Integer, String> uidNames,
                             Map<Integer, String> gidNames) {
    public FileListResult {
        entries = List.copyOf(entries);
        uidNames = Map.copyOf(uidNames);
        gidNames = Map.copyOf(gidNames);
    }
}
