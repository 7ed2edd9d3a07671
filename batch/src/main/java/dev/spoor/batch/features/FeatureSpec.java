package dev.spoor.batch.features;

import dev.spoor.config.Settings;

/**
 * What the {@code features} job needs to know about a shop's events, as SQL over the event view
 * ({@code spoor.batch.features}): which events are purchases and what each is worth, and which are
 * cart additions and page views.
 */
public record FeatureSpec(String purchase, String revenue, String cartAdd, String pageView) {
  public static FeatureSpec from(Settings features) {
    return new FeatureSpec(features.string("purchase"), features.string("revenue"), features.string("cart-add"),
        features.string("page-view"));
  }
}
