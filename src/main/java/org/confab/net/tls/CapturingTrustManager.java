package org.confab.net.tls;

import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.confab.core.Fingerprint;

/**
 * Client-side trust: no CA is consulted; the room is recognised by the fingerprint of the
 * certificate it presents. This manager records that fingerprint; when one is pinned (invite link,
 * or a known room) a different one fails the TLS handshake itself, before any byte of ours is sent.
 */
public final class CapturingTrustManager implements X509TrustManager {
    private final Fingerprint pinned;
    private volatile Fingerprint presented;
    private volatile String rejection;

    public CapturingTrustManager(Fingerprint pinned) {
        this.pinned = pinned;
    }

    /** What the server presented, once the handshake has got that far; null before. */
    public Fingerprint presented() {
        return presented;
    }

    /**
     * Why the certificate itself was refused (none, unreadable, outside its validity period), for
     * the person; null if it was not (a fingerprint mismatch is told by {@link #presented()}).
     */
    public String rejection() {
        return rejection;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw reject("the host presented no certificate", null);
        }
        try {
            presented = Fingerprint.ofCertificate(chain[0].getEncoded());
        } catch (CertificateEncodingException e) {
            throw reject("its certificate is unreadable", e);
        }
        try {
            chain[0].checkValidity();
        } catch (CertificateExpiredException e) {
            throw reject(
                    "its certificate expired on " + chain[0].getNotAfter().toInstant()
                            + " (is this computer's clock right?)",
                    e);
        } catch (CertificateNotYetValidException e) {
            throw reject(
                    "its certificate is valid only from "
                            + chain[0].getNotBefore().toInstant() + " (is this computer's clock right?)",
                    e);
        }
        if (pinned != null && !pinned.equals(presented)) {
            throw new CertificateException("fingerprint mismatch");
        }
    }

    private CertificateException reject(String why, Exception cause) {
        rejection = why;
        return new CertificateException(why, cause);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
