package dev.spoor.ingest.model.enrich;

/** Turns a User-Agent header into the browser, OS and device class stored with each event. */
public interface UserAgentParser {
  /** Browser, its version, operating system and device class; fields are null when unknown. */
  record ParsedUserAgent(String browser, String browserVersion, String os, String deviceClass) {
    public static final ParsedUserAgent UNKNOWN = new ParsedUserAgent(null, null, null, null);
  }

  ParsedUserAgent parse(String userAgent);

  /** A parser that recognises nothing, for unit tests of logic that does not look at user agents. */
  UserAgentParser NONE = ua -> ParsedUserAgent.UNKNOWN;
}
