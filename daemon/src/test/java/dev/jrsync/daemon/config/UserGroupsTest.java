package dev.jrsync.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserGroupsTest {
    @Test
    void primaryThenSupplementary(@TempDir Path dir) throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
        Path group = Files.writeString(dir.resolve("group"),
                "root:x:0:\nbackup:x:34:bob,alice\nalice:x:1000:\nstaff:x:50:alice\nother:x:51:malice\n");
        assertEquals(List.of("alice", "backup", "staff"), UserGroups.groupsOf("alice", passwd, group));
        assertEquals(List.of("root"), UserGroups.groupsOf("root", passwd, group));
        assertEquals(List.of(), UserGroups.groupsOf("bob", passwd, group), "bob is listed in a group but not a user");
        assertEquals(List.of(), UserGroups.groupsOf("alice", dir.resolve("none"), group));
    }

    @Test
    void realSystemRoot() {
        assertTrue(UserGroups.groupsOf("root").contains("root"));
        assertEquals(List.of(), UserGroups.groupsOf("no-such-user-xyz"));
    }
}
