package dev.jrsync.protocol.flist;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Receiver side: maps the sender's uids/gids to local ones by name. Immutable, so thread-safe.
 * Mirrors uidlist.c:recv_add_id() without --usermap/--groupmap: an id whose sender-side name exists
 * locally maps to the local id, any other id is kept; id 0 always stays 0 (stock only maps
 * non-zero ids by name). Whether to apply the result at all (stock maps uids only when running
 * as root) is the caller's decision.
 */
public final class IdMapper {
    private final IdNames local;
    private final Map<Integer, String> remoteUsers;
    private final Map<Integer, String> remoteGroups;
    private final boolean numericIds;

    public IdMapper(IdNames local, Map<Integer, String> remoteUsers, Map<Integer, String> remoteGroups,
                    boolean numericIds, boolean id0NamesSent) {
        this.local = local;
        this.numericIds = numericIds;
        this.remoteUsers = withRoot(remoteUsers, id0NamesSent, numericIds);
        this.remoteGroups = withRoot(remoteGroups, id0NamesSent, numericIds);
    }

    public int mapUid(int remoteUid) {
        return map(remoteUid, remoteUsers.get(remoteUid), local.uid(nameOrEmpty(remoteUsers.get(remoteUid))));
    }

    public int mapGid(int remoteGid) {
        return map(remoteGid, remoteGroups.get(remoteGid), local.gid(nameOrEmpty(remoteGroups.get(remoteGid))));
    }

    /** The sender's name for a uid ("root" for 0 when the sender did not send id-0 names), or null. */
    public String remoteUserName(int remoteUid) {
        return remoteUsers.get(remoteUid);
    }

    public String remoteGroupName(int remoteGid) {
        return remoteGroups.get(remoteGid);
    }

    private int map(int id, String name, OptionalInt localId) {
        if (numericIds || id == 0 || name == null || name.isEmpty()) {
            return id;
        }
        return localId.orElse(id);
    }

    private static String nameOrEmpty(String s) {
        return s == null ? "" : s;
    }

    // Mirrors uidlist.c:parse_name_map(): without id-0 names the sender's id 0 is taken to be "root".
    private static Map<Integer, String> withRoot(Map<Integer, String> names, boolean id0NamesSent,
                                                 boolean numericIds) {
        if (id0NamesSent || numericIds || names.containsKey(0)) {
            return Map.copyOf(names);
        }
        Map<Integer, String> copy = new HashMap<>(names);
        copy.put(0, "root");
        return Map.copyOf(copy);
    }
}
