package dev.spoor.demo.shop;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * What is true of one simulated user, and what the batch layer must therefore compute for them: events,
 * sessions (one per visit), funnel levels and features. Derived from the generated visits only.
 */
public record UserTruth(String user, String channel, boolean churner, List<Visit> visits) {
  public UserTruth {
    visits = List.copyOf(visits);
  }

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
    return visits.stream().map(v -> v.start().atOffset(ZoneOffset.UTC).toLocalDate()).distinct().count();
  }

  /** checkout: product_view → add_to_cart → purchase within an hour; each visit is a chain. */
  public int checkoutLevel() {
    return visits.stream().mapToInt(Visit::depth).max().orElse(0);
  }

  /** premium_cart: page_view → add_to_cart with price ≥ 100 within a day. */
  public int premiumLevel() {
    return visits.stream().anyMatch(v -> v.depth() >= 2 && v.cartPrice() >= 100) ? 2 : 1;
  }

  public int recencyDays(LocalDate asOf) {
    return (int) ChronoUnit.DAYS.between(lastSeen().atOffset(ZoneOffset.UTC).toLocalDate(), asOf);
  }

  public int tenureDays(LocalDate asOf) {
    return (int) ChronoUnit.DAYS.between(firstSeen().atOffset(ZoneOffset.UTC).toLocalDate(), asOf);
  }

  /** The scorecard's inputs (see conf/spoor.conf, spoor.batch.scorecard). */
  public Map<String, Double> scoreInputs(LocalDate asOf) {
    return Map.of("recency_days", (double) recencyDays(asOf), "purchases", (double) purchases(),
        "monetary", monetary(), "sessions", (double) visits.size(), "tenure_days", (double) tenureDays(asOf));
  }
}
