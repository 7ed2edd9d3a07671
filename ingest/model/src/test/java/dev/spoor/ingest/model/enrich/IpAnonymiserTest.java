package dev.spoor.ingest.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpAnonymiserTest {
  private static final java.util.regex.Pattern DOTTED_QUAD = java.util.regex.Pattern.compile(
      "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

  /** The IPv4 parse is a loop for speed; it must accept exactly what the dotted-quad expression accepts. */
  @Test
  void theIpv4ParseAgreesWithTheDottedQuadExpressionOnGeneratedText() {
    java.util.Random random = new java.util.Random(23);
    String alphabet = "0123456789.....x -:";
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder ip = new StringBuilder();
      if (random.nextBoolean()) {
        ip.append(random.nextInt(300)).append('.').append(random.nextInt(300)).append('.').append(random.nextInt(300))
            .append('.').append(random.nextInt(300));
        if (random.nextInt(4) == 0) {
          ip.insert(random.nextInt(ip.length() + 1), alphabet.charAt(random.nextInt(alphabet.length())));
        }
      } else {
        for (int n = random.nextInt(16); n > 0; n--) {
          ip.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      boolean expected = DOTTED_QUAD.matcher(ip).matches();
      int[] octets = IpAnonymiser.ipv4(ip.toString());
      assertThat(octets != null).as(ip.toString()).isEqualTo(expected);
      if (expected) {
        assertThat(String.join(".", java.util.Arrays.stream(octets).mapToObj(Integer::toString).toList()))
            .isEqualTo(ip.toString());
        accepted++;
      }
    }
    assertThat(accepted).as("both kinds generated").isBetween(20_000, 180_000);
  }

  @Test
  void zeroesTheConfiguredIpv4Octets() {
    assertThat(new IpAnonymiser(1, 80).anonymise("203.0.113.77")).contains("203.0.113.0");
    assertThat(new IpAnonymiser(2, 80).anonymise("203.0.113.77")).contains("203.0.0.0");
    assertThat(new IpAnonymiser(0, 80).anonymise("203.0.113.77")).contains("203.0.113.77");
    assertThat(new IpAnonymiser(4, 80).anonymise("203.0.113.77")).contains("0.0.0.0");
  }

  @Test
  void zeroesTheConfiguredIpv6Bits() {
    assertThat(new IpAnonymiser(1, 80).anonymise("2001:db8:85a3:1234:5678:8a2e:370:7334"))
        .contains("2001:db8:85a3:0:0:0:0:0");
    assertThat(new IpAnonymiser(1, 64).anonymise("2001:db8:85a3:1234:5678:8a2e:370:7334"))
        .contains("2001:db8:85a3:1234:0:0:0:0");
    assertThat(new IpAnonymiser(1, 0).anonymise("2001:db8::1")).contains("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void hostNamesAndGarbageAreNotAddresses() {
    IpAnonymiser anonymiser = new IpAnonymiser(1, 80);

    assertThat(anonymiser.anonymise("example.com")).isEmpty();
    assertThat(anonymiser.anonymise("256.1.1.1")).isEmpty();
    assertThat(anonymiser.anonymise("1.2.3")).isEmpty();
    assertThat(anonymiser.anonymise("::zz")).isEmpty();
    assertThat(anonymiser.anonymise(null)).isEmpty();
  }

  @Test
  void outOfRangeSettingsAreRejected() {
    assertThatThrownBy(() -> new IpAnonymiser(5, 80)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IpAnonymiser(1, 129)).isInstanceOf(IllegalArgumentException.class);
  }
}
