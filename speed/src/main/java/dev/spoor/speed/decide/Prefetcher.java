package dev.spoor.speed.decide;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;

/**
 * A long-running task's input (continuous, real-time), read by a thread of its own so that the task
 * can take, as one chunk, exactly what has arrived: it waits for the first event only, never for more
 * to fill a chunk. Behind the stream, what has arrived is many events and chunks fill up; caught up,
 * each event is decided as it comes. The queue holds at most one chunk, so memory stays bounded.
 *
 * <p>The input is only ever touched by the reading thread, which runs with the task's
 * {@link TaskContext}; when the task completes (or is killed) the thread is interrupted and joined
 * before Spark's own completion listeners release the Kafka consumer it reads through.
 */
final class Prefetcher<T> implements AutoCloseable {
  private static final Object END = new Object();
  private final BlockingQueue<Object> queue;
  private final Thread reader;
  private boolean ended;

  private record Failure(Throwable cause) {}

  Prefetcher(Iterator<T> input, int capacity, String name) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    TaskContext task = TaskContext.get();
    this.reader = new Thread(() -> {
      if (task != null) {
        org.apache.spark.TaskContext$.MODULE$.setTaskContext(task);
      }
      try {
        while (input.hasNext()) {
          queue.put(input.next());
        }
        queue.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the task is over: stop reading
      } catch (Throwable t) { // handed to the task thread, which fails the task with it
        queue.offer(new Failure(t));
      }
    }, name);
    reader.setDaemon(true);
    reader.start();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> close());
    }
  }

  /** What has arrived, at most {@code max} elements: waits for the first one only. Empty at the end. */
  @SuppressWarnings("unchecked")
  List<T> next(int max) {
    List<T> chunk = new ArrayList<>();
    if (ended) {
      return chunk;
    }
    Object first;
    try {
      first = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for events", e);
    }
    List<Object> taken = new ArrayList<>();
    taken.add(first);
    queue.drainTo(taken, max - 1);
    for (Object element : taken) {
      if (element == END) {
        ended = true;
        break;
      }
      if (element instanceof Failure failure) {
        ended = true;
        if (failure.cause() instanceof RuntimeException e) {
          throw e;
        }
        throw new IllegalStateException("reading the task's input failed", failure.cause());
      }
      chunk.add((T) element);
    }
    return chunk;
  }

  /** Stops the reading thread and waits (briefly) until it no longer touches the input. */
  @Override
  public void close() {
    reader.interrupt();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
