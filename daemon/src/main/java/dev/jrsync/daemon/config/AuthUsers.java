package dev.jrsync.daemon.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The "auth users" rules of a module: {@code PATTERN[:deny|:ro|:rw]} or {@code @GROUPPATTERN[:...]}, scanned in
 * order, the first matching rule deciding. Mirrors the rule loop of authenticate.c:auth_server() (rsync 3.5.0,
 * including the leading-comma list form). Immutable, thread-safe, non-blocking.
 */
public final class AuthUsers {
    /** What the first matching rule says. */
    public enum Access {
        /** {@code :deny} matched: refuse before reading the secrets file ("denied by rule"). */
        DENY,
        /** {@code :ro}: after a good password, read-only whatever "read only" says. */
        READ_ONLY,
        /** {@code :rw}: after a good password, writable whatever "read only" says. */
        READ_WRITE,
        /** Matched without an option (or an unknown one): after a good password, the module's "read only" applies. */
        DEFAULT,
        /** No rule matched: refuse ("no matching rule"). */
        NOT_LISTED
    }

    /** One rule. {@code group} is true for an {@code @group} pattern; the pattern excludes the '@'. */
    public record Rule(String pattern, boolean group, Access option) {
    }

    /**
     * The decision plus, when an {@code @group} rule matched, the group that matched (its {@code @group:} line in
     * the secrets file is then also tried).
     */
    public record Match(Access access, Optional<String> group) {
    }

    private final List<Rule> rules;

    private AuthUsers(List<Rule> rules) {
        this.rules = rules;
    }

    /** Parses an "auth users" value; an empty or blank value means an anonymous module. */
    public static AuthUsers parse(String value) {
        List<Rule> rules = new ArrayList<>();
        for (String tok : ConfText.confTokens(value)) {
            String pattern = tok;
            Access opt = Access.DEFAULT;
            int colon = tok.indexOf(':');
            if (colon >= 0) {
                pattern = tok.substring(0, colon);
                opt = option(tok.substring(colon + 1));
            }
            boolean group = pattern.startsWith("@");
            rules.add(new Rule(group ? pattern.substring(1) : pattern, group, opt));
        }
        return new AuthUsers(List.copyOf(rules));
    }

    /** Stock looks at one or two characters, case-insensitively: d... = deny, ro... = ro, rw... = rw, else none. */
    private static Access option(String opts) {
        char c0 = opts.isEmpty() ? 0 : Character.toLowerCase(opts.charAt(0));
        if (c0 == 'd') {
            return Access.DENY;
        }
        if (c0 == 'r' && opts.length() > 1) {
            char c1 = Character.toLowerCase(opts.charAt(1));
            if (c1 == 'o') {
                return Access.READ_ONLY;
            }
            if (c1 == 'w') {
                return Access.READ_WRITE;
            }
        }
        return Access.DEFAULT;
    }

    /** True when no rule is configured: the module is anonymous and no challenge is sent. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<Rule> rules() {
        return rules;
    }

    /** {@link #match(String, Collection)}'s access only. */
    public Access access(String user, Collection<String> groups) {
        return match(user, groups).access();
    }

    /**
     * Finds the first rule matching {@code user} (case-sensitive wildmatch) or, for {@code @} rules, one of
     * {@code groups} (the user's groups, in {@link UserGroups#groupsOf} order; empty for a user unknown locally).
     */
    public Match match(String user, Collection<String> groups) {
        for (Rule r : rules) {
            if (!r.group()) {
                if (Wildmatch.matches(r.pattern(), user)) {
                    return new Match(r.option(), Optional.empty());
                }
            } else {
                for (String g : groups) {
                    if (g != null && Wildmatch.matches(r.pattern(), g)) {
                        return new Match(r.option(), Optional.of(g));
                    }
                }
            }
        }
        return new Match(Access.NOT_LISTED, Optional.empty());
    }
}
