package dev.spoor.ingest.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YauaaUserAgentParserTest {
  private static final YauaaUserAgentParser PARSER = new YauaaUserAgentParser(100);

  @Test
  void parsesADesktopChrome() {
    UserAgentParser.ParsedUserAgent ua = PARSER.parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
        + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");

    assertThat(ua.browser()).isEqualTo("Chrome");
    assertThat(ua.browserVersion()).startsWith("120");
    assertThat(ua.os()).isEqualTo("Windows NT");
    assertThat(ua.deviceClass()).isEqualTo("Desktop");
  }

  @Test
  void parsesAnIphoneSafari() {
    UserAgentParser.ParsedUserAgent ua = PARSER.parse("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
        + "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1");

    assertThat(ua.browser()).isEqualTo("Safari");
    assertThat(ua.os()).isEqualTo("iOS");
    assertThat(ua.deviceClass()).isEqualTo("Phone");
  }

  @Test
  void missingUserAgentIsUnknownNotAnError() {
    assertThat(PARSER.parse(null)).isEqualTo(UserAgentParser.ParsedUserAgent.UNKNOWN);
    assertThat(PARSER.parse("")).isEqualTo(UserAgentParser.ParsedUserAgent.UNKNOWN);
  }
}
