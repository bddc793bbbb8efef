package dev.jrsync.protocol.handshake;

import org.bouncycastle.crypto.digests.MD4Digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Daemon authentication digests and the challenge/response computation (authenticate.c,
 * compat.c:negotiate_daemon_auth()). Stateless and thread-safe.
 */
public enum AuthDigest {
    SHA512("sha512", "SHA-512"),
    SHA256("sha256", "SHA-256"),
    SHA1("sha1", "SHA-1"),
    MD5("md5", "MD5"),
    MD4("md4", null),
    /** Pre-3.0 peers: MD4 over a zero 32-bit seed, the password and the challenge. */
    MD4_OLD("md4-old", null);

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String wireName;
    private final String jdkName;

    AuthDigest(String wireName, String jdkName) {
        this.wireName = wireName;
        this.jdkName = jdkName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<AuthDigest> byName(String name) {
        for (AuthDigest d : values()) {
            if (d != MD4_OLD && d.wireName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** What to use when the peer's greeting carried no list (rsync before 3.2.7). */
    public static AuthDigest implied(int protocol) {
        return protocol >= 30 ? MD5 : MD4_OLD;
    }

    /**
     * Daemon side: the first entry of the client's list that we support (what every stock daemon
     * up to 3.4 does; with canonical lists 3.5.0 agrees). Empty when nothing is common.
     */
    public static Optional<AuthDigest> chooseAsServer(List<String> clientList) {
        for (String name : clientList) {
            Optional<AuthDigest> d = byName(name);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** Client side: the entry of the daemon's list that ranks best in our own order. */
    public static Optional<AuthDigest> chooseAsClient(List<String> serverList) {
        for (String ours : Greeting.OUR_DIGESTS) {
            if (serverList.contains(ours)) {
                return byName(ours);
            }
        }
        return Optional.empty();
    }

    public byte[] digest(byte[]... parts) {
        if (this == MD4 || this == MD4_OLD) {
            MD4Digest md4 = new MD4Digest();
            if (this == MD4_OLD) {
                md4.update(new byte[4], 0, 4);
            }
            for (byte[] p : parts) {
                md4.update(p, 0, p.length);
            }
            byte[] out = new byte[16];
            md4.doFinal(out, 0);
            return out;
        }
        try {
            MessageDigest md = MessageDigest.getInstance(jdkName);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " missing from the JDK", e);
        }
    }

    /** base64 without padding of H(password || challenge text). Mirrors authenticate.c:generate_hash(). */
    public String response(String password, String challenge) {
        return encode(digest(password.getBytes(StandardCharsets.UTF_8), challenge.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh unpredictable challenge: base64 (no padding) of this digest over random bytes. */
    public String newChallenge() {
        byte[] seed = new byte[64];
        RANDOM.nextBytes(seed);
        return encode(digest(seed));
    }

    public static String encode(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Constant-time comparison of a received response with the expected one. */
    public boolean verify(String password, String challenge, String response) {
        return MessageDigest.isEqual(response(password, challenge).getBytes(StandardCharsets.US_ASCII),
                response.getBytes(StandardCharsets.US_ASCII));
    }
}
