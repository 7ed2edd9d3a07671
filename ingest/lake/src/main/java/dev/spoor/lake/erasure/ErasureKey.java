package dev.spoor.lake.erasure;

import com.typesafe.config.Config;
import dev.spoor.config.Secret;
import dev.spoor.config.Settings;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the erasure log is keyed with ({@code spoor.erasure}): the log stores HMAC-SHA256(secret,
 * id), never the id, so someone who reads the log cannot test candidate ids against it (a bare hash of
 * an enumerable id such as an e-mail address or {@code user-0042} is reversed by trying them all).
 * From {@code SPOOR_ERASURE_SECRET} when set, else from {@code secret-file}, which is created with 32
 * random bytes on first use (mode 600). Every process that writes or reads the log (erase, lander,
 * speed layer) must use the same secret; {@link #keyId} lets them check that they do.
 */
public final class ErasureKey implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MIN_SECRET_BYTES = 16;

  private final byte[] secret;
  private transient ThreadLocal<Mac> macs;

  public ErasureKey(byte[] secret) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("an erasure secret needs at least " + MIN_SECRET_BYTES + " bytes, not "
          + secret.length);
    }
    this.secret = secret.clone();
  }

  /** From {@code spoor.erasure}: {@code secret} (the environment) if set, else {@code secret-file}. */
  public static ErasureKey from(Config root, Path home) {
    return new ErasureKey(new Secret(Settings.of(root, "spoor.erasure"), "secret", "secret-file", home, MIN_SECRET_BYTES)
        .read().getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA256 of the id, in hex: what the log stores for it. */
  public String hmac(String id) {
    if (macs == null) {
      macs = ThreadLocal.withInitial(this::newMac);
    }
    return HexFormat.of().formatHex(macs.get().doFinal(id.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Names the secret without revealing it: the log records it with every entry. */
  public String keyId() {
    return hmac("spoor erasure key id").substring(0, 16);
  }

  @Override
  public String toString() {
    return "ErasureKey[" + keyId() + "]";
  }
}
