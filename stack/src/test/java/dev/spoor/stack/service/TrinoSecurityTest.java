package dev.spoor.stack.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class TrinoSecurityTest {
  @Test
  void plainHttpAdmitsEveryUserNameButTheRegistrars() {
    String pattern = TrinoSecurity.insecureUsers("spoor_registrar");

    assertThat("spoor").matches(pattern);
    assertThat("spoor_registrar2").matches(pattern);
    assertThat("a_spoor_registrar").matches(pattern);
    assertThat("spoor_registrar").doesNotMatch(pattern);
  }

  @Test
  void thePasswordHashIsTrinosPbkdf2FormatAndChecksAsItsFileAuthenticatorChecks() throws Exception {
    String[] parts = TrinoSecurity.pbkdf2("a password of the registrar").split(":");

    // iterations:salt:hash, lower-case hex, at least 1000 iterations; Trino derives as many bytes as the hash has.
    assertThat(parts).hasSize(3);
    assertThat(Integer.parseInt(parts[0])).isGreaterThanOrEqualTo(1000);
    assertThat(parts[1] + parts[2]).matches("[0-9a-f]+");
    byte[] salt = HexFormat.of().parseHex(parts[1]);
    byte[] hash = HexFormat.of().parseHex(parts[2]);
    for (String candidate : new String[] {"a password of the registrar", "another password"}) {
      byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(
          new PBEKeySpec(candidate.toCharArray(), salt, Integer.parseInt(parts[0]), hash.length * 8)).getEncoded();
      assertThat(java.security.MessageDigest.isEqual(derived, hash)).as(candidate)
          .isEqualTo(candidate.equals("a password of the registrar"));
    }
  }

  @Test
  void anAddressIsCertifiedAsAnAddressAndANameAsAName() {
    assertThat(SelfSignedKeystore.subjectAlternativeNames("127.0.0.1")).isEqualTo("ip:127.0.0.1,dns:localhost");
    assertThat(SelfSignedKeystore.subjectAlternativeNames("trino.internal")).isEqualTo("dns:trino.internal");
  }
}
