package dev.jrsync.daemon.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.jrsync.daemon.config.AuthUsers.Access.DEFAULT;
import static dev.jrsync.daemon.config.AuthUsers.Access.DENY;
import static dev.jrsync.daemon.config.AuthUsers.Access.NOT_LISTED;
import static dev.jrsync.daemon.config.AuthUsers.Access.READ_ONLY;
import static dev.jrsync.daemon.config.AuthUsers.Access.READ_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "auth users" rules: rsyncd-and-security.md §A.3.1 and §B.9 (verified there against rsync 3.5.0). */
class AuthUsersTest {
    @Test
    void emptyMeansAnonymous() {
        assertTrue(AuthUsers.parse("").isEmpty());
        assertTrue(AuthUsers.parse("  \t ").isEmpty());
        assertTrue(AuthUsers.parse(" , ,").isEmpty());
        assertFalse(AuthUsers.parse("alice").isEmpty());
    }

    @Test
    void optionsAndFirstMatchWins() {
        AuthUsers a = AuthUsers.parse("alice, bob:rw carol:RO,dave:Deny\teve:r mallory:xyz, alice:deny");
        assertEquals(DEFAULT, a.access("alice", List.of()), "the first rule for alice wins over the later :deny");
        assertEquals(READ_WRITE, a.access("bob", List.of()));
        assertEquals(READ_ONLY, a.access("carol", List.of()));
        assertEquals(DENY, a.access("dave", List.of()));
        assertEquals(DEFAULT, a.access("eve", List.of()), ":r alone is no option");
        assertEquals(DEFAULT, a.access("mallory", List.of()));
        assertEquals(NOT_LISTED, a.access("trudy", List.of()));
    }

    /** §B.9: "al*:ro, c?rol": alice -> ro, carol matched, ALICE -> no matching rule. */
    @Test
    void wildcardsAreCaseSensitive() {
        AuthUsers a = AuthUsers.parse("al*:ro, c?rol");
        assertEquals(READ_ONLY, a.access("alice", List.of()));
        assertEquals(DEFAULT, a.access("carol", List.of()));
        assertEquals(NOT_LISTED, a.access("ALICE", List.of()));
        assertEquals(NOT_LISTED, a.access("caarol", List.of()));
    }

    @Test
    void groupsMatchTheUsersGroupsInOrder() {
        AuthUsers a = AuthUsers.parse("@guests:deny, @back*:ro, root:rw");
        assertEquals(new AuthUsers.Match(DENY, Optional.of("guests")), a.match("joe", List.of("users", "guests")));
        assertEquals(new AuthUsers.Match(READ_ONLY, Optional.of("backup")), a.match("joe", List.of("backup")));
        assertEquals(NOT_LISTED, a.access("joe", List.of()), "an unknown user is in no groups");
        assertEquals(READ_WRITE, a.access("root", List.of("root")));
        // A user rule earlier in the list wins over a group rule later.
        assertEquals(READ_WRITE, AuthUsers.parse("root:rw @root:deny").access("root", List.of("root")));
    }

    /** 3.5.0 (CVE-2026-70463): a value starting with ',' splits on commas only, so names may hold spaces. */
    @Test
    void leadingCommaFormAllowsSpaces() {
        AuthUsers a = AuthUsers.parse(" , joe:deny, @Some Group:deny,  admin:rw ,");
        assertEquals(3, a.rules().size());
        assertEquals(new AuthUsers.Rule("Some Group", true, DENY), a.rules().get(1));
        assertEquals(DENY, a.access("x", List.of("Some Group")));
        assertEquals(READ_WRITE, a.access("admin", List.of()));
        // Without the leading comma the same text splits at the space: "Group:deny" becomes a user rule.
        AuthUsers b = AuthUsers.parse("joe:deny, @Some Group:deny");
        assertEquals(NOT_LISTED, b.access("x", List.of("Some Group")));
        assertEquals(DENY, b.access("Group", List.of()));
    }

    @Test
    void onlyTheFirstColonSplits() {
        AuthUsers a = AuthUsers.parse("al*:rw:x");
        assertEquals(new AuthUsers.Rule("al*", false, READ_WRITE), a.rules().get(0));
    }
}
