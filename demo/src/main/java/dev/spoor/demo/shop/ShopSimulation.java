package dev.spoor.demo.shop;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a shop's users and what they did over the last {@code days} days, recording the truth as
 * it goes (never derived from the pipeline): each user's visits, how deep each went into product view →
 * cart → purchase, cart prices and order totals. Visits are at least three hours apart and last minutes,
 * so each is one session and one funnel chain; none crosses midnight. A share of users are churners,
 * seen only in the first third of the period. Deterministic for a seed and a clock.
 */
public final class ShopSimulation {
  /** Channels: how a user's events reach the collector. */
  public static final String TRACKER = "snowplow-tracker";
  public static final String COMPACT = "compact-batch";
  public static final String BROWSER = "spoor-js";

  private final Random random;

  public ShopSimulation(long seed) {
    this.random = new Random(seed);
  }

  /**
   * {@code users} users over the {@code days} days up to {@code now} (all visits end before it); user
   * ids start with {@code prefix}. Half the users send through the Snowplow tracker, a quarter through
   * the compact batch format, a quarter through spoor.js in a browser.
   */
  public List<UserTruth> users(String prefix, int users, int days, Instant now, double churnRate) {
    LocalDate last = now.atOffset(ZoneOffset.UTC).toLocalDate();
    LocalDate first = last.minusDays(days - 1L);
    List<UserTruth> all = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String user = prefix + String.format("%04d", u);
      boolean churner = random.nextDouble() < churnRate;
      LocalDate until = churner ? first.plusDays(Math.max(0, days / 3 - 1)) : last;
      List<Instant> starts = slots(first, until, now);
      Collections.shuffle(starts, random);
      int count = Math.min(starts.size(), 1 + random.nextInt(5));
      List<Visit> visits = new ArrayList<>();
      for (Instant start : starts.subList(0, count).stream().sorted().toList()) {
        visits.add(visit(user, start));
      }
      all.add(new UserTruth(user, channel(u), churner, visits));
    }
    return all;
  }

  private static String channel(int u) {
    return u % 2 == 0 ? TRACKER : u % 4 == 1 ? COMPACT : BROWSER;
  }

  /** Visit starts: 4-hour slots from 00:00 to 20:00 UTC, jittered by up to 30 minutes, ended an hour before now. */
  private List<Instant> slots(LocalDate first, LocalDate until, Instant now) {
    List<Instant> starts = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(until); day = day.plusDays(1)) {
      for (int slot = 0; slot < 6; slot++) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(4L * slot))
            .plusSeconds(60 + random.nextInt(1800));
        if (start.plus(Duration.ofHours(1)).isBefore(now)) {
          starts.add(start);
        }
      }
    }
    return starts;
  }

  private Visit visit(String user, Instant start) {
    int depth = random.nextInt(4); // 0 browse, 1 product view, 2 cart, 3 purchase
    double price = Math.round((5 + random.nextDouble() * 195) * 100) / 100.0;
    int quantity = 1 + random.nextInt(3);
    double total = Math.round(price * quantity * 100) / 100.0;
    String sku = "sku-" + random.nextInt(40);
    List<PlannedEvent> events = new ArrayList<>();
    Instant t = start;
    events.add(new PlannedEvent(user, "page_view", t, props("page_title", "Home")));
    if (depth >= 1) {
      t = t.plusSeconds(60 + random.nextInt(240));
      events.add(new PlannedEvent(user, "product_view", t, props("sku", sku, "price", price, "category", "shoes")));
    }
    if (depth >= 2) {
      t = t.plusSeconds(60 + random.nextInt(240));
      events.add(new PlannedEvent(user, "add_to_cart", t, props("sku", sku, "price", price, "quantity", quantity,
          "currency", "EUR")));
    }
    if (depth >= 3) {
      t = t.plusSeconds(60 + random.nextInt(240));
      events.add(new PlannedEvent(user, "purchase", t, props("order_id", "o-" + user + "-" + start.getEpochSecond(),
          "total", total, "items", quantity, "currency", "EUR")));
    }
    return new Visit(events, depth, price, total);
  }

  private static Map<String, Object> props(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
