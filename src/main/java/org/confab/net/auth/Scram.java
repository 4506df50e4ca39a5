package org.confab.net.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802 / RFC 7677) with {@code tls-server-end-point} channel binding
 * (RFC 5929): the password never crosses the wire, not even hashed; the host proves it knows the
 * password too; and the proof is bound to the certificate the client saw, so it cannot be relayed
 * by a man in the middle. The host stores only salt, iteration count, StoredKey and ServerKey.
 *
 * <p>Room passwords have no user name: the SCRAM user name is the fixed string "room".
 */
public final class Scram {
    public static final String MECHANISM = "SCRAM-SHA-256-PLUS";
    public static final int DEFAULT_ITERATIONS = 65_536;
    private static final String USER = "room";
    /** The GS2 header of every exchange: channel binding tls-server-end-point, no authzid. */
    private static final String GS2_HEADER = "p=tls-server-end-point,,";

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private Scram() {}

    /** What the host keeps instead of the password. */
    public record Credentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        public static Credentials fromPassword(String password) {
            return fromPassword(password, DEFAULT_ITERATIONS);
        }

        public static Credentials fromPassword(String password, int iterations) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            byte[] salted = hi(password, salt, iterations);
            byte[] clientKey = hmac(salted, "Client Key");
            return new Credentials(salt, iterations, sha256(clientKey), hmac(salted, "Server Key"));
        }
    }

    /** Thrown when an exchange fails; the message says why (wrong password, malformed). */
    public static final class AuthFailed extends Exception {
        public AuthFailed(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ client side

    /** One client-side exchange. */
    public static final class Client {
        private final String password;
        private final byte[] channelBinding;
        private final String clientNonce;
        private String clientFirstBare;
        private byte[] saltedPassword;
        private String authMessage;

        /** {@code serverCertHash}: SHA-256 of the DER certificate the client saw in TLS. */
        public Client(String password, byte[] serverCertHash) {
            this.password = password;
            this.channelBinding = serverCertHash.clone();
            this.clientNonce = nonce();
        }

        public String first() {
            clientFirstBare = "n=" + USER + ",r=" + clientNonce;
            return GS2_HEADER + clientFirstBare;
        }

        public String finalMessage(String serverFirst) throws AuthFailed {
            Map<String, String> f = parse(serverFirst);
            String nonce = f.get("r");
            String salt = f.get("s");
            String iter = f.get("i");
            if (nonce == null
                    || salt == null
                    || iter == null
                    || !nonce.startsWith(clientNonce)
                    || nonce.length() == clientNonce.length()) {
                throw new AuthFailed("The host's password challenge is malformed.");
            }
            int iterations;
            try {
                iterations = Integer.parseInt(iter);
            } catch (NumberFormatException e) {
                throw new AuthFailed("The host's password challenge is malformed.");
            }
            if (iterations < 4096 || iterations > 10_000_000) {
                throw new AuthFailed("The host asked for an unsafe iteration count (" + iterations + ").");
            }
            saltedPassword = hi(password, decode(salt), iterations);
            String withoutProof = "c=" + B64.encodeToString(cbindInput(channelBinding)) + ",r=" + nonce;
            authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] signature = hmac(sha256(clientKey), authMessage);
            return withoutProof + ",p=" + B64.encodeToString(xor(clientKey, signature));
        }

        /** Checks the host's proof that it knows the password too. */
        public void verifyServerFinal(String serverFinal) throws AuthFailed {
            Map<String, String> f = parse(serverFinal);
            if (f.containsKey("e")) {
                throw new AuthFailed("The host refused the password: " + f.get("e"));
            }
            String v = f.get("v");
            byte[] expected = hmac(hmac(saltedPassword, "Server Key"), authMessage);
            if (v == null || !MessageDigest.isEqual(expected, decode(v))) {
                throw new AuthFailed("The host could not prove it knows the room password.");
            }
        }
    }

    // ------------------------------------------------------------------ host side

    /** One host-side exchange. */
    public static final class Server {
        private final Credentials credentials;
        private final byte[] channelBinding;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;

        /** {@code ownCertHash}: SHA-256 of the host's own DER certificate. */
        public Server(Credentials credentials, byte[] ownCertHash) {
            this.credentials = credentials;
            this.channelBinding = ownCertHash.clone();
        }

        public String first(String clientFirst) throws AuthFailed {
            if (!clientFirst.startsWith(GS2_HEADER)) {
                throw new AuthFailed("Password exchange without channel binding is not accepted.");
            }
            clientFirstBare = clientFirst.substring(GS2_HEADER.length());
            Map<String, String> f = parse(clientFirstBare);
            String clientNonce = f.get("r");
            if (clientNonce == null || clientNonce.isEmpty() || clientNonce.length() > 256) {
                throw new AuthFailed("Malformed password exchange.");
            }
            nonce = clientNonce + nonce();
            serverFirst =
                    "r=" + nonce + ",s=" + B64.encodeToString(credentials.salt()) + ",i=" + credentials.iterations();
            return serverFirst;
        }

        /** Verifies the client's proof; returns the server-final message carrying our own proof. */
        public String verify(String clientFinal) throws AuthFailed {
            int p = clientFinal.lastIndexOf(",p=");
            if (serverFirst == null || p < 0) {
                throw new AuthFailed("Malformed password exchange.");
            }
            String withoutProof = clientFinal.substring(0, p);
            Map<String, String> f = parse(withoutProof);
            byte[] expectedCbind = cbindInput(channelBinding);
            if (!nonce.equals(f.get("r"))) {
                throw new AuthFailed("Malformed password exchange.");
            }
            if (f.get("c") == null || !MessageDigest.isEqual(expectedCbind, decode(f.get("c")))) {
                throw new AuthFailed("The password exchange was made for another certificate (a relay in between?).");
            }
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] proof = decode(clientFinal.substring(p + 3));
            byte[] signature = hmac(credentials.storedKey(), authMessage);
            if (proof.length != signature.length) {
                throw new AuthFailed("Wrong room password.");
            }
            byte[] clientKey = xor(proof, signature);
            if (!MessageDigest.isEqual(sha256(clientKey), credentials.storedKey())) {
                throw new AuthFailed("Wrong room password.");
            }
            return "v=" + B64.encodeToString(hmac(credentials.serverKey(), authMessage));
        }
    }

    // ------------------------------------------------------------------ primitives

    static byte[] hi(String password, byte[] salt, int iterations) {
        try {
            var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The channel binding input ({@code c=}): the GS2 header, then the certificate hash. */
    private static byte[] cbindInput(byte[] binding) {
        byte[] header = GS2_HEADER.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + binding.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(binding, 0, out, header.length, binding.length);
        return out;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static String nonce() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return B64.encodeToString(b).replace(',', '-');
    }

    private static byte[] decode(String b64) throws AuthFailed {
        try {
            return B64D.decode(b64);
        } catch (IllegalArgumentException e) {
            throw new AuthFailed("Malformed password exchange.");
        }
    }

    private static Map<String, String> parse(String message) throws AuthFailed {
        var out = new LinkedHashMap<String, String>();
        for (String part : message.split(",")) {
            if (part.length() < 2 || part.charAt(1) != '=') {
                throw new AuthFailed("Malformed password exchange.");
            }
            out.putIfAbsent(part.substring(0, 1), part.substring(2));
        }
        return out;
    }
}
