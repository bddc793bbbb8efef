package dev.jrsync.daemon.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cases from rsync's own wildtest.txt semantics (lib/wildmatch.c, v3.5.0). */
class WildmatchTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "foo|foo|true", "foo|bar|false", "''|''|true", "???|foo|true", "??|foo|false", "*|foo|true",
            "f*|foo|true", "*f|foo|false", "*foo*|foo|true", "*ob*a*r*|foobazbar|true", "\\*|*|true",
            "\\*|x|false", "[a-c]x|bx|true", "[!a-c]x|bx|false", "[^a-c]x|dx|true", "[[:digit:]]*|7up|true",
            "[[:alpha:]]|7|false", "*|a/b|false", "**|a/b|true", "a/*/c|a/b/c|true", "a*c|a/c|false",
            "a?c|a/c|false", "[]]|]|true", "[a-]|-|true", "t[a-g]n|ten|true", "[|[|false", "a[|a[|false",
            "*.conf|x.conf|true", "*.conf|.conf|true", "al*|ALICE|false"})
    void caseSensitive(String pattern, String text, boolean expected) {
        assertEquals(expected, Wildmatch.matches(pattern, text), pattern + " ~ " + text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*.example.com|WWW.EXAMPLE.COM|true", "*.EXAMPLE.COM|www.example.com|true", "[A-C]x|bX|true",
            "[[:upper:]]|a|false", "foo|bar|false"})
    void caseInsensitive(String pattern, String text, boolean expected) {
        assertEquals(expected, Wildmatch.matchesIgnoreCase(pattern, text), pattern + " ~ " + text);
    }
}
