package dev.spoor.demo.traffic;

import dev.spoor.demo.shop.PlannedEvent;
import dev.spoor.demo.shop.ShopSimulation;
import dev.spoor.demo.shop.UserTruth;
import dev.spoor.demo.shop.Visit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Sends the simulated users' visits to the collector in shuffled order (users and visits interleave,
 * so events arrive out of order and days after they happened), each user through their channel: the
 * Snowplow Java tracker, the compact batch format, or spoor.js in a browser (after the others, one
 * browser for all of them; the compact batch format when there is no browser). Compact clients
 * misbehave at the configured rates: they retry a request that already succeeded (a redelivered copy)
 * and send events that violate their schema; a few requests are corrupt.
 */
public final class ShopTraffic {
  private final String collectorUrl;
  private final String writeKey;
  private final double redeliveryRate;
  private final double invalidRate;
  private final int corruptRequests;

  public ShopTraffic(String collectorUrl, String writeKey, double redeliveryRate, double invalidRate, int corruptRequests) {
    this.collectorUrl = collectorUrl;
    this.writeKey = writeKey;
    this.redeliveryRate = redeliveryRate;
    this.invalidRate = invalidRate;
    this.corruptRequests = corruptRequests;
  }

  private record Item(UserTruth user, Visit visit) {}

  /** {@code browser}: spoor.js's sender, or null to send its users' visits in the compact batch format. */
  public Delivery send(List<UserTruth> users, BrowserSender browser, long seed, Consumer<String> progress)
      throws IOException, InterruptedException {
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    List<UserTruth> inBrowser = users.stream()
        .filter(u -> browser != null && u.channel().equals(ShopSimulation.BROWSER)).toList();
    users.stream().filter(u -> !inBrowser.contains(u)).forEach(u -> u.visits().forEach(v -> items.add(new Item(u, v))));
    Collections.shuffle(items, random);
    Delivery delivery = new Delivery();
    CompactBatchSender compact = new CompactBatchSender(collectorUrl, writeKey);
    int corruptAt = Math.max(1, items.size() / (corruptRequests + 1));
    try (TrackerSender tracker = new TrackerSender(collectorUrl)) {
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        List<PlannedEvent> events = item.visit().events();
        if (item.user().channel().equals(ShopSimulation.TRACKER)) {
          tracker.send(item.user().user(), events, delivery);
        } else {
          compact.send(item.user().user(), events, random.nextDouble() < invalidRate,
              random.nextDouble() < redeliveryRate, delivery);
        }
        if (corruptRequests > 0 && i % corruptAt == corruptAt - 1 && delivery.corruptRequests() < corruptRequests) {
          compact.sendCorrupt(delivery);
        }
        if ((i + 1) % Math.max(1, items.size() / 10) == 0 || i == items.size() - 1) {
          progress.accept(String.format("  %3d%%  %d visits, %d events sent", 100 * (i + 1) / items.size(), i + 1,
              delivery.events()));
        }
      }
    }
    while (delivery.corruptRequests() < corruptRequests) {
      compact.sendCorrupt(delivery);
    }
    if (!inBrowser.isEmpty()) {
      int before = delivery.events();
      browser.send(inBrowser, delivery);
      progress.accept(String.format("  spoor.js in headless Chromium: %d users' visits, %d events, every queue delivered",
          inBrowser.size(), delivery.events() - before));
    }
    return delivery;
  }
}
