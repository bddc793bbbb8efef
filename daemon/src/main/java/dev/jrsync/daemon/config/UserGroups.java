package dev.jrsync.daemon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Group names of a local user, as getgrouplist() gives them for "@group" auth rules: the primary group from
 * /etc/passwd first, then every /etc/group entry listing the user. Reads the files on each call (blocking I/O);
 * stateless and thread-safe. NSS sources other than the files (LDAP, sssd) are not consulted.
 */
public final class UserGroups {
    private static final long MAX_FILE_BYTES = 64L << 20;

    private UserGroups() {
    }

    /** The user's groups, or an empty list when the user does not exist locally (stock: "in no groups"). */
    public static List<String> groupsOf(String user) {
        return groupsOf(user, Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /** As {@link #groupsOf(String)}, reading the given passwd and group files. */
    public static List<String> groupsOf(String user, Path passwd, Path group) {
        List<String[]> users;
        List<String[]> groups;
        try {
            users = read(passwd);
            groups = read(group);
        } catch (IOException e) {
            return List.of();
        }
        String primaryGid = null;
        for (String[] u : users) {
            if (u.length >= 4 && u[0].equals(user)) {
                primaryGid = u[3];
                break;
            }
        }
        if (primaryGid == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String[] g : groups) {
            if (g.length >= 3 && g[2].equals(primaryGid)) {
                out.add(g[0]);
                break;
            }
        }
        for (String[] g : groups) {
            if (g.length >= 4) {
                for (String member : g[3].split(",")) {
                    if (member.trim().equals(user)) {
                        out.add(g[0]);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String[]> read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + ": larger than " + MAX_FILE_BYTES + " bytes");
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith("+") && !line.startsWith("-")) {
                rows.add(line.split(":", -1));
            }
        }
        return rows;
    }
}
