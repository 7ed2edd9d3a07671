package dev.spoor.ingest.model.event;

/**
 * The outcome of parsing, validating and enriching one event: a good {@link Event} or a
 * {@link BadRow}. Bad input is a value, never an exception.
 */
public sealed interface Processed permits Processed.Good, Processed.Bad {
  record Good(Event event) implements Processed {}

  record Bad(BadRow badRow) implements Processed {}

  static Processed good(Event event) {
    return new Good(event);
  }

  static Processed bad(BadRow badRow) {
    return new Bad(badRow);
  }
}
