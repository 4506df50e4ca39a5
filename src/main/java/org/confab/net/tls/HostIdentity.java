package org.confab.net.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.confab.core.Fingerprint;

/**
 * The host's long-term key pair and self-signed certificate: the room's identity. Made on first
 * use (EC P-256, certificate valid 20 years), kept in a PKCS#12 file readable by the owner only,
 * so a room keeps the same fingerprint across restarts. Nothing here trusts a CA: members
 * recognise a room by its fingerprint (pinned in the invite link, or trusted on first use).
 */
public final class HostIdentity {
    private static final char[] STORE_PASSWORD = "confab".toCharArray(); // file permissions protect it
    private static final String ALIAS = "confab-host";

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Fingerprint fingerprint;

    private HostIdentity(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
        try {
            this.fingerprint = Fingerprint.ofCertificate(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh identity kept only in memory (tests, throw-away rooms). */
    public static HostIdentity generate() {
        try {
            var gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            var subject = new X500Name("CN=Confab room");
            var now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365L * 20))),
                    subject,
                    pair.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new HostIdentity(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a host key: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the identity from {@code file}, or creates it there (directory 0700, file 0600 where
     * the file system supports POSIX permissions).
     */
    public static HostIdentity loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                var ks = KeyStore.getInstance("PKCS12");
                ks.load(in, STORE_PASSWORD);
                var key = (PrivateKey) ks.getKey(ALIAS, STORE_PASSWORD);
                var cert = (X509Certificate) ks.getCertificate(ALIAS);
                if (key == null || cert == null) {
                    throw new IOException(
                            "The host key file " + file + " holds no Confab key; move it away to make a new one.");
                }
                return new HostIdentity(key, cert);
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot read the host key file " + file + ": " + e.getMessage(), e);
            }
        }
        var identity = generate();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        Path tmp = Files.createTempFile(dir, ".identity", ".tmp");
        try {
            if (posix) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                var ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry(ALIAS, identity.key, STORE_PASSWORD, new Certificate[] {identity.certificate});
                ks.store(out, STORE_PASSWORD);
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot write the host key file: " + e.getMessage(), e);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // another process made one at the same moment: use theirs
                return loadOrCreate(file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return identity;
    }

    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /** A TLS 1.3 server context presenting this identity. */
    public SSLContext serverContext() {
        try {
            var ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, STORE_PASSWORD, new Certificate[] {certificate});
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD);
            var ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
