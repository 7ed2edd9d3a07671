package dev.spoor.ingest.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
  private static HttpServerExchange from(String origin) {
    HttpServerExchange exchange = new HttpServerExchange(null);
    exchange.getRequestHeaders().put(Headers.ORIGIN, origin);
    return exchange;
  }

  @Test
  void aListedOriginIsReflectedWithCredentials() {
    HttpServerExchange exchange = from("https://shop.example");

    assertThat(new OriginPolicy(Set.of("https://shop.example", "*")).admit(exchange)).isTrue();
    assertThat(exchange.getResponseHeaders().getFirst("Access-Control-Allow-Origin")).isEqualTo("https://shop.example");
    assertThat(exchange.getResponseHeaders().getFirst("Access-Control-Allow-Credentials")).isEqualTo("true");
  }

  @Test
  void anOriginAllowedOnlyByTheWildcardGetsNoCredentials() {
    HttpServerExchange exchange = from("https://evil.example");

    assertThat(new OriginPolicy(Set.of("https://shop.example", "*")).admit(exchange)).isTrue();
    assertThat(exchange.getResponseHeaders().getFirst("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(exchange.getResponseHeaders().contains("Access-Control-Allow-Credentials")).isFalse();
  }

  @Test
  void anUnlistedOriginIsRefusedWithoutTheWildcard() {
    HttpServerExchange exchange = from("https://evil.example");

    assertThat(new OriginPolicy(Set.of("https://shop.example")).admit(exchange)).isFalse();
    assertThat(exchange.getResponseHeaders().contains("Access-Control-Allow-Origin")).isFalse();
  }

  @Test
  void aBrowserPageMayReadRetryAfterSoItsTrackerWaitsAsAsked() {
    // Cross-origin scripts see only CORS-safelisted response headers unless the server exposes more;
    // a tracker that cannot read Retry-After on a 503 can only guess how long to wait.
    for (String origin : new String[] {"https://shop.example", "https://other.example"}) {
      HttpServerExchange exchange = from(origin);
      assertThat(new OriginPolicy(Set.of("https://shop.example", "*")).admit(exchange)).isTrue();
      assertThat(exchange.getResponseHeaders().getFirst("Access-Control-Expose-Headers")).as(origin)
          .isEqualTo("Retry-After");
    }
  }
}
