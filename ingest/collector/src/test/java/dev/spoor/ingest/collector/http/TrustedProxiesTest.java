package dev.spoor.ingest.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  @Test
  void proxiesMatchAsAddressesWhateverTheirSpelling() {
    TrustedProxies proxies = new TrustedProxies(Set.of("::1", "10.0.0.7", "2001:db8::10"));

    assertThat(proxies.contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(proxies.contains("[::1]")).isTrue();
    assertThat(proxies.contains("2001:0db8:0000:0000:0000:0000:0000:0010")).isTrue();
    assertThat(proxies.contains("10.0.0.7")).isTrue();
    assertThat(proxies.contains("10.0.0.8")).isFalse();
    assertThat(proxies.contains("proxy.example")).isFalse();
    assertThat(proxies.contains(null)).isFalse();
  }

  @Test
  void anEntryThatIsNotAnAddressIsRefusedAtStartUp() {
    assertThatThrownBy(() -> new TrustedProxies(Set.of("proxy.example"))).hasMessage("proxy.example");
  }
}
