package io.edgefn.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The management API's bearer token and how every one of its endpoints checks a request's
 * {@code Authorization} header against it: {@code Bearer <token>} (the scheme in any case),
 * compared in constant time. Immutable and thread-safe.
 */
final class BearerToken {

    private final byte[] token;

    BearerToken(String token) {
        this.token = Objects.requireNonNull(token, "token").getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code authorization} (the header's value, or {@code null}) carries this token. */
    boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, authorization.substring(7).trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** The {@code WWW-Authenticate} value of a 401 answering {@code authorization}: an invalid token is said so. */
    static String challenge(String authorization) {
        return authorization == null ? "Bearer realm=\"edgefn\"" : "Bearer realm=\"edgefn\", error=\"invalid_token\"";
    }
}
