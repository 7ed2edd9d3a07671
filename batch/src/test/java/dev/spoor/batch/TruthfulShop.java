package dev.spoor.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A generated shop whose truth is known: every user's sessions (events minutes apart, sessions at
 * least three hours apart, so sessions and one-hour funnels never span two visits), how deep each visit
 * went into product view → cart → purchase, cart prices and order totals. The events it emits carry
 * noise the batch layer must see through: redelivered copies (collected later), days-late arrival, and
 * arrival order shuffled. The truth is recorded as it is generated, never derived from the pipeline.
 */
public final class TruthfulShop {
  /** One visit: its events in time order. */
  public record Visit(String user, List<Map<String, String>> events, int depth, double cartPrice, double orderTotal) {
    Instant start() {
      return Instant.parse(events.get(0).get("derived_tstamp"));
    }

    Instant end() {
      return Instant.parse(events.get(events.size() - 1).get("derived_tstamp"));
    }
  }

  /** What is true of one user. */
  public record UserTruth(String user, List<Visit> visits) {
    public long events() {
      return visits.stream().mapToLong(v -> v.events().size()).sum();
    }

    public long purchases() {
      return visits.stream().filter(v -> v.depth() >= 3).count();
    }

    public long cartAdds() {
      return visits.stream().filter(v -> v.depth() >= 2).count();
    }

    public long pageViews() {
      return visits.size();
    }

    public double monetary() {
      return Math.round(visits.stream().filter(v -> v.depth() >= 3).mapToDouble(Visit::orderTotal).sum() * 100) / 100.0;
    }

    public Instant firstSeen() {
      return visits.stream().map(Visit::start).min(Instant::compareTo).orElseThrow();
    }

    public Instant lastSeen() {
      return visits.stream().map(Visit::end).max(Instant::compareTo).orElseThrow();
    }

    public long activeDays() {
      return visits.stream().flatMap(v -> v.events().stream())
          .map(e -> Instant.parse(e.get("derived_tstamp")).atOffset(ZoneOffset.UTC).toLocalDate()).distinct().count();
    }

    /** checkout: product_view → add_to_cart → purchase within an hour; visits are the chains. */
    public int checkoutLevel() {
      return visits.stream().mapToInt(v -> Math.max(0, v.depth())).max().orElse(0);
    }

    /** premium_cart: page_view → add_to_cart with price ≥ 100 within a day. */
    public int premiumLevel() {
      return visits.stream().anyMatch(v -> v.depth() >= 2 && v.cartPrice() >= 100) ? 2 : 1;
    }
  }

  private final Random random;
  private final Map<String, UserTruth> truth = new TreeMap<>();
  private final List<Map<String, String>> delivered = new ArrayList<>();
  private int nextEvent;

  public TruthfulShop(long seed) {
    this.random = new Random(seed);
  }

  public Map<String, UserTruth> truth() {
    return Collections.unmodifiableMap(truth);
  }

  /**
   * Adds {@code visits} visits for each of {@code users} users (new or existing) on days from
   * {@code firstDay} to {@code lastDay}, delivered with the given rates of redelivery and lateness.
   * Returns the events as delivered (copies included, shuffled).
   */
  public List<Map<String, String>> visits(List<String> users, int maxVisits, LocalDate firstDay, LocalDate lastDay,
      double redeliveryRate, double lateRate) {
    return visits(users, maxVisits, firstDay, lastDay, 0, redeliveryRate, lateRate);
  }

  /**
   * As above, each visit starting {@code offsetHours} into its 4-hour slot: visits added later with an
   * offset of 2 fall between earlier ones, at least 78 minutes from any (a separate session, outside
   * any one-hour funnel window of theirs).
   */
  public List<Map<String, String>> visits(List<String> users, int maxVisits, LocalDate firstDay, LocalDate lastDay,
      int offsetHours, double redeliveryRate, double lateRate) {
    List<Map<String, String>> batch = new ArrayList<>();
    long days = ChronoUnit.DAYS.between(firstDay, lastDay) + 1;
    for (String user : users) {
      int count = 1 + random.nextInt(maxVisits);
      // Visits at distinct 4-hour slots, so they are at least 3 hours apart.
      List<Integer> slots = new ArrayList<>();
      for (int s = 0; s < days * 6; s++) {
        slots.add(s);
      }
      Collections.shuffle(slots, random);
      for (int v = 0; v < count; v++) {
        Instant start = firstDay.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofHours(4L * slots.get(v) + offsetHours))
            .plusSeconds(random.nextInt(1800));
        Visit visit = visit(user, start);
        truth.computeIfAbsent(user, u -> new UserTruth(u, new ArrayList<>())).visits().add(visit);
        for (Map<String, String> event : visit.events()) {
          deliver(event, batch, redeliveryRate, lateRate);
        }
      }
    }
    Collections.shuffle(batch, random);
    delivered.addAll(batch);
    return batch;
  }

  private Visit visit(String user, Instant start) {
    int depth = random.nextInt(4); // 0 browse, 1 product view, 2 cart, 3 purchase
    double price = Math.round((5 + random.nextDouble() * 195) * 100) / 100.0;
    int quantity = 1 + random.nextInt(3);
    double total = Math.round(price * quantity * 100) / 100.0;
    List<Map<String, String>> events = new ArrayList<>();
    Instant t = start;
    events.add(event(user, "page_view", t, "{\"page_title\":\"home\"}"));
    if (depth >= 1) {
      t = t.plusSeconds(60 + random.nextInt(240));
      events.add(event(user, "product_view", t, "{\"sku\":\"sku-1\",\"price\":" + price + "}"));
    }
    if (depth >= 2) {
      t = t.plusSeconds(60 + random.nextInt(240));
      events.add(event(user, "add_to_cart", t, "{\"sku\":\"sku-1\",\"price\":" + price + ",\"quantity\":" + quantity + "}"));
    }
    if (depth >= 3) {
      t = t.plusSeconds(60 + random.nextInt(240));
      events.add(event(user, "purchase", t, "{\"order_id\":\"o-" + nextEvent + "\",\"total\":" + total + ",\"items\":" + quantity + "}"));
    }
    return new Visit(user, events, depth, price, total);
  }

  private Map<String, String> event(String user, String name, Instant at, String properties) {
    Map<String, String> event = new LinkedHashMap<>();
    event.put("event_id", String.format("ev-%06d", nextEvent++));
    event.put("user_id", user);
    event.put("event_name", name);
    event.put("derived_tstamp", at.toString());
    event.put("collector_tstamp", at.toString());
    event.put("page_url", "https://shop.example/" + name);
    event.put("properties", properties);
    return event;
  }

  private void deliver(Map<String, String> event, List<Map<String, String>> out, double redeliveryRate, double lateRate) {
    Map<String, String> first = new HashMap<>(event);
    if (random.nextDouble() < lateRate) {
      // Arrives days late: collected long after it happened (it still belongs to its event day).
      first.put("collector_tstamp", Instant.parse(event.get("derived_tstamp")).plus(Duration.ofDays(2 + random.nextInt(3))).toString());
    }
    out.add(first);
    if (random.nextDouble() < redeliveryRate) {
      Map<String, String> copy = new HashMap<>(first);
      copy.put("collector_tstamp", Instant.parse(first.get("collector_tstamp")).plusSeconds(30 + random.nextInt(600)).toString());
      out.add(copy);
    }
  }

  /** The events as delivered so far, as rows of the {@code events} table. */
  public static EventRows rows(List<Map<String, String>> events) {
    EventRows rows = new EventRows();
    events.forEach(rows::add);
    return rows;
  }
}
