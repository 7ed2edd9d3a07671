package dev.spoor.lake.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded generated ids in every shape a bad row carries them (JSON with any escapes, cut short or not;
 * percent-encoded query strings; base64url contexts; payloads stored as base64): the id is found, and
 * another user's id that merely contains it is not.
 */
class PayloadIdsTest {
  private static final String ALPHABET = "abcXYZ019@.+-_ /&=%?\"\\'éß中😀";
  private static final int CASES = 3_000;

  private final Random random = new Random(19);

  private String id() {
    StringBuilder id = new StringBuilder();
    int length = 1 + random.nextInt(24);
    while (id.codePointCount(0, id.length()) < length) {
      int at = random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length()));
      id.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, at)));
    }
    return id.toString();
  }

  /** Another user's id containing {@code id}: letters before, after or both. */
  private String containing(String id) {
    String affix = "abcdefghijklmnopqrstuvwxyz0123456789".substring(random.nextInt(30)).substring(0, 1 + random.nextInt(5));
    return switch (random.nextInt(3)) {
      case 0 -> affix + id;
      case 1 -> id + affix;
      default -> affix + id + affix;
    };
  }

  /** A JSON string literal of the text, characters escaped at random as JSON allows (both halves of a pair). */
  private String jsonString(String text) {
    StringBuilder json = new StringBuilder("\"");
    text.codePoints().forEach(c -> {
      if (c == '"' || c == '\\' || c < 0x20 || random.nextInt(4) == 0) {
        for (char unit : Character.toChars(c)) {
          json.append(String.format("\\u%04x", (int) unit));
        }
      } else {
        json.appendCodePoint(c);
      }
    });
    return json.append('"').toString();
  }

  /** Percent-encoded as encodeURIComponent does, with unreserved characters also encoded at random. */
  private String percentEncoded(String text) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean unreserved = c < 0x80 && (Character.isLetterOrDigit(c) || "-_.!~*'()".indexOf(c) >= 0);
      encoded.append(unreserved && random.nextBoolean() ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
    }
    return encoded.toString();
  }

  private static String base64url(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A payload naming {@code who} in one of the shapes, with its encoding. */
  private String[] payload(String who, int shape) {
    return switch (shape) {
      case 0 -> new String[] {"{\"user_id\":" + jsonString(who) + ",\"event_name\":\"page_view\"}", "text"};
      case 1 -> { // a broken event, cut short somewhere after the id
        String json = "{\"schema\":\"x\",\"data\":[{\"uid\":" + jsonString(who) + ",\"e\":\"pv\",\"tv\":\"js-3\"}]}";
        int end = json.indexOf("\"e\"");
        yield new String[] {json.substring(0, end + random.nextInt(json.length() - end)), "text"};
      }
      case 2 -> new String[] {(random.nextBoolean() ? "/i?" : "") + "e=pv&uid=" + percentEncoded(who) + "&aid=shop",
          "text"};
      case 3 -> new String[] {"{\"data\":[{\"e\":\"ue\",\"cx\":\"" + base64url("{\"data\":[{\"data\":{\"id\":"
          + jsonString(who) + "}}]}") + "\"}]}", "text"};
      case 4 -> new String[] {"{\"page_url\":" + jsonString("https://shop.example/a?duid=" + percentEncoded(who)) + "}",
          "text"};
      default -> { // bytes that are not UTF-8 around a query string: stored as base64
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("e=pv&duid=" + percentEncoded(who) + "&x=").getBytes(StandardCharsets.UTF_8));
        bytes.write(0xff);
        bytes.write(0xfe);
        yield new String[] {Base64.getEncoder().encodeToString(bytes.toByteArray()), "base64"};
      }
    };
  }

  @Test
  void theIdIsFoundInEveryShapeAndAnIdContainingItIsNot() {
    for (int i = 0; i < CASES; i++) {
      String id = id();
      String other = containing(id);
      int shape = random.nextInt(6);
      String[] own = payload(id, shape);
      String[] others = payload(other, shape);
      assertThat(PayloadIds.names(own[0], own[1], Set.of(id)::contains)).as("%s names %s", own[0], id).isTrue();
      assertThat(PayloadIds.names(others[0], others[1], Set.of(id)::contains)).as("%s does not name %s", others[0], id)
          .isFalse();
    }
  }

  @Test
  void nothingIsNamedByPayloadsThatAreNotThere() {
    assertThat(PayloadIds.names(null, "text", Set.of("a")::contains)).isFalse();
    assertThat(PayloadIds.names("", "text", Set.of("a")::contains)).isFalse();
    assertThat(PayloadIds.names("not base64 at all!", "base64", Set.of("alice")::contains)).isFalse();
    assertThat(PayloadIds.names("{\"user_id\":\"alice\"", "text", Set.of("alice")::contains)).as("cut short").isTrue();
  }
}
