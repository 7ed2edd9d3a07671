package dev.spoor.ingest.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpAnonymiserTest {
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
