package dev.spoor.stack.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that talks to real engines. The services named are brought up (once per
 * test JVM, on the test ports under {@code target/spoor-it}) before the class runs, and the whole
 * stack is stopped when the JVM's tests are done. Parameters of type {@code LocalStack} and
 * {@code StackConfig} are injected.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalStackExtension.class)
public @interface UsesLocalStack {
  /** Services to start: kafka, hbase, trino, spark. */
  String[] value() default {"kafka", "hbase", "trino"};
}
