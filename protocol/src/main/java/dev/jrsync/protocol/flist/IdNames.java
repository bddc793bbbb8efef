package dev.jrsync.protocol.flist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Local uid/gid &lt;-&gt; name tables. Immutable after construction, so thread-safe; never blocks
 * after {@link #system()} has read the files.
 */
public final class IdNames {
    private final Map<Integer, String> users;
    private final Map<Integer, String> groups;
    private final Map<String, Integer> userIds;
    private final Map<String, Integer> groupIds;

    private IdNames(Table users, Table groups) {
        this.users = users.byId();
        this.groups = groups.byId();
        this.userIds = users.byName();
        this.groupIds = groups.byName();
    }

    /** Parses /etc/passwd and /etc/group; a missing or unreadable file gives an empty table. */
    public static IdNames system() {
        return new IdNames(parse(Path.of("/etc/passwd")), parse(Path.of("/etc/group")));
    }

    /** From id-to-name maps; a name given to several ids resolves to the smallest (unsigned) id. */
    public static IdNames of(Map<Integer, String> users, Map<Integer, String> groups) {
        return new IdNames(new Table(Map.copyOf(users), invert(users)), new Table(Map.copyOf(groups), invert(groups)));
    }

    /** Both directions of one table. */
    record Table(Map<Integer, String> byId, Map<String, Integer> byName) {
    }

    /** The name of a local uid, or null. */
    public String userName(int uid) {
        return users.get(uid);
    }

    /** The name of a local gid, or null. */
    public String groupName(int gid) {
        return groups.get(gid);
    }

    public OptionalInt uid(String name) {
        Integer id = userIds.get(name);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public OptionalInt gid(String name) {
        Integer id = groupIds.get(name);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Reads "name:passwd:id:..." lines; like getpwuid()/getpwnam(), the first line for an id or name wins. */
    static Table parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return new Table(Map.of(), Map.of());
        }
        Map<Integer, String> byId = new HashMap<>();
        Map<String, Integer> byName = new HashMap<>();
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length < 3 || f[0].isEmpty()) {
                continue;
            }
            try {
                long id = Long.parseLong(f[2]);
                if (id >= 0 && id <= 0xFFFF_FFFFL) {
                    byId.putIfAbsent((int) id, f[0]);
                    byName.putIfAbsent(f[0], (int) id);
                }
            } catch (NumberFormatException e) {
                // not an id line (NIS "+" entries and the like): skip it
            }
        }
        return new Table(Map.copyOf(byId), Map.copyOf(byName));
    }

    private static Map<String, Integer> invert(Map<Integer, String> byId) {
        Map<String, Integer> byName = new HashMap<>();
        byId.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Integer::compareUnsigned))
                .forEach(e -> byName.putIfAbsent(e.getValue(), e.getKey()));
        return Map.copyOf(byName);
    }
}
