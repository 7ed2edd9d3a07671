package dev.spoor.stack.testing;

import dev.spoor.stack.LocalStack;
import dev.spoor.stack.config.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts the real local stack for integration tests (of this module and of every module that talks
 * to real engines), once per build. The first use stops whatever a previous, killed test run left in
 * the test var directory; every test class then brings up the services it names (a no-op for those
 * already healthy); the build's last module stops the stack ({@link StackResource}).
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    List<String> services = AnnotationSupport.findAnnotation(context.getRequiredTestClass(),
            UsesLocalStack.class)
        .map(a -> List.of(a.value()))
        .orElse(LocalStack.DEFAULT_SERVICES);
    stack(context).up(services, line -> System.out.println("[test stack] " + line));
  }

  static LocalStack stack(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(StackResource.class, k -> StackResource.open(), StackResource.class)
        .stack();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalStack.class || type == StackConfig.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalStack stack = stack(context);
    return parameter.getParameter().getType() == LocalStack.class ? stack : stack.config();
  }

  /**
   * The stack as a resource of the JVM's root test context. Under Maven every module's test JVM of one
   * build ({@code spoor.it.build}, the build's start) shares one stack: the first stops whatever an
   * earlier build left and records the build beside the stack's pid files; the next ones find their
   * services running; the last module ({@code spoor.it.last-stack-module}) stops it. Without a build
   * (a test run from an IDE), the JVM's last test stops it.
   */
  record StackResource(LocalStack stack, boolean stopAtEnd) implements ExtensionContext.Store.CloseableResource {
    static StackResource open() {
      LocalStack stack = new LocalStack(TestStackConfig.stackConfig());
      String build = System.getProperty("spoor.it.build", "");
      Path marker = stack.config().varDir().resolve("test-build");
      if (build.isEmpty() || !build.equals(read(marker))) {
        stack.down(List.of("all"), line -> System.out.println("[test stack, leftovers] " + line));
        write(marker, build);
      }
      return new StackResource(stack, build.isEmpty() || Boolean.getBoolean("spoor.it.last-stack-module"));
    }

    private static String read(Path marker) {
      try {
        return Files.isRegularFile(marker) ? Files.readString(marker).strip() : "";
      } catch (IOException e) {
        return "";
      }
    }

    private static void write(Path marker, String build) {
      try {
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, build);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record the test stack's build in " + marker, e);
      }
    }

    @Override
    public void close() {
      if (stopAtEnd) {
        stack.down(List.of("all"), line -> System.out.println("[test stack] " + line));
      }
    }
  }
}
