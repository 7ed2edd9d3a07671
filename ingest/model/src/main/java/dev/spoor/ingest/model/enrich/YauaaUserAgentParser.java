package dev.spoor.ingest.model.enrich;

import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * User agent parsing with YAUAA (Yet Another UserAgent Analyzer): maintained, rule-based, and the one
 * that also reads client hints. Building the analyzer takes seconds and a few hundred MB, so one
 * instance serves the whole process; only the fields Spoor stores are computed, and an LRU cache
 * absorbs the repetition of real traffic. Thread-safe (YAUAA synchronises its parse).
 */
public final class YauaaUserAgentParser implements UserAgentParser {
  private final UserAgentAnalyzer analyzer;

  public YauaaUserAgentParser(int cacheSize) {
    this.analyzer = UserAgentAnalyzer.newBuilder()
        .withFields(UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION, UserAgent.OPERATING_SYSTEM_NAME,
            UserAgent.DEVICE_CLASS)
        .withCache(cacheSize)
        .hideMatcherLoadStats()
        .immediateInitialization()
        .build();
  }

  @Override
  public UserAgentParser.ParsedUserAgent parse(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return UserAgentParser.ParsedUserAgent.UNKNOWN;
    }
    UserAgent parsed = analyzer.parse(userAgent);
    return new UserAgentParser.ParsedUserAgent(
        known(parsed.getValue(UserAgent.AGENT_NAME)),
        known(parsed.getValue(UserAgent.AGENT_VERSION)),
        known(parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME)),
        known(parsed.getValue(UserAgent.DEVICE_CLASS)));
  }

  private static String known(String value) {
    return value == null || value.startsWith("Unknown") || value.startsWith("??") ? null : value;
  }
}
