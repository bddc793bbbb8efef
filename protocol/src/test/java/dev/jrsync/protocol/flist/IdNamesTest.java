package dev.jrsync.protocol.flist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdNamesTest {
    @Test
    void parsesPasswdFormatFirstLineWins(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("passwd");
        Files.writeString(p, """
                root:x:0:0:root:/root:/bin/bash
                # comment
                +nis::::::
                alice:x:1000:1000::/home/alice:/bin/sh
                alias:x:1000:1000::/home/alice:/bin/sh
                alice:x:1002:1000::/home/alice2:/bin/sh
                nobody:x:4294967294:65534::/:/usr/sbin/nologin
                broken
                """);
        IdNames.Table t = IdNames.parse(p);
        IdNames n = IdNames.of(t.byId(), Map.of());
        assertEquals(1000, t.byName().get("alias"));
        assertEquals(1000, t.byName().get("alice"), "first line wins");
        assertEquals("alice", t.byId().get(1002));
        assertEquals("root", n.userName(0));
        assertEquals("alice", n.userName(1000));
        assertEquals("nobody", n.userName(-2));
        assertEquals(OptionalInt.of(1000), n.uid("alice"));
        assertNull(n.userName(1002 + 1));
        assertTrue(IdNames.parse(dir.resolve("missing")).byId().isEmpty());
    }

    @Test
    void systemTablesKnowRoot() {
        IdNames s = IdNames.system();
        if (Files.exists(Path.of("/etc/passwd"))) {
            assertEquals(OptionalInt.of(0), s.uid("root"));
        }
    }

    @Test
    void mapperMapsByNameAndKeepsUnknownIds() {
        IdNames local = IdNames.of(Map.of(0, "root", 501, "alice", 502, "carol"), Map.of(0, "root", 20, "staff"));
        IdMapper m = new IdMapper(local, Map.of(1000, "alice", 1001, "bob", 7, "root"),
                Map.of(100, "staff", 101, "nogroup"), false, false);
        assertEquals(501, m.mapUid(1000), "alice exists locally");
        assertEquals(1001, m.mapUid(1001), "bob does not: keep the number");
        assertEquals(4242, m.mapUid(4242), "no name sent: keep the number");
        assertEquals(0, m.mapUid(7), "a non-zero id named root maps to local root");
        assertEquals(0, m.mapUid(0));
        assertEquals("root", m.remoteUserName(0), "assumed when id-0 names are not sent");
        assertEquals(20, m.mapGid(100));
        assertEquals(101, m.mapGid(101));

        IdMapper numeric = new IdMapper(local, Map.of(1000, "alice"), Map.of(), true, false);
        assertEquals(1000, numeric.mapUid(1000));
        assertNull(numeric.remoteUserName(0));

        IdMapper id0 = new IdMapper(local, Map.of(0, "toor"), Map.of(), false, true);
        assertEquals(0, id0.mapUid(0), "stock never remaps id 0");
        assertEquals("toor", id0.remoteUserName(0));
    }
}
