package dev.spoor.speed.decide;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Takes a micro-batch task's input (which never waits) in chunks of at most {@code size}. */
final class Chunker<T> {
  private final int size;

  Chunker(int size) {
    this.size = size;
  }

  /** The next chunk: empty only when the input is. */
  List<T> next(Iterator<T> input) {
    List<T> chunk = new ArrayList<>(Math.min(size, 1024));
    while (chunk.size() < size && input.hasNext()) {
      chunk.add(input.next());
    }
    return chunk;
  }
}
