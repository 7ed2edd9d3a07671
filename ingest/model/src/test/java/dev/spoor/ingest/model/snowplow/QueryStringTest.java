package dev.spoor.ingest.model.snowplow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringTest {
  @Test
  void decodesPercentEscapesPlusAndUtf8() {
    QueryString.Decoded decoded = QueryString.decode("e=pv&url=https%3A%2F%2Fx.example%2F%3Fq%3D1&page=Caf%C3%A9+du+coin&e=se");

    assertThat(decoded.error()).isNull();
    assertThat(decoded.params()).containsEntry("e", "pv").containsEntry("url", "https://x.example/?q=1")
        .containsEntry("page", "Café du coin");
  }

  @Test
  void invalidUtf8OrBrokenEscapesMakeTheWholeStringInvalidNamingTheParameter() {
    assertThat(QueryString.decode("e=pv&page=%C3%28").error()).isEqualTo("page: invalid percent-encoding or UTF-8 in its value");
    assertThat(QueryString.decode("e=pv&page=%G1").error()).startsWith("page: ");
    assertThat(QueryString.decode("e=pv&page=%4").error()).startsWith("page: ");
  }

  @Test
  void emptyAndValuelessParametersAreTolerated() {
    assertThat(QueryString.decode("").params()).isEmpty();
    assertThat(QueryString.decode("a&&b=").params()).containsEntry("a", "").containsEntry("b", "");
  }
}
