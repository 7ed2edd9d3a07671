package dev.spoor.stack.testing;

import dev.spoor.stack.LocalStack;
import dev.spoor.stack.config.StackConfig;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts the real local stack for integration tests (of this module and of every module that talks
 * to real engines), once per test JVM. The first use stops whatever
 * a previous, killed test run left in the test var directory; every test class then brings up the
 * services it names (a no-op for those already healthy); the JVM's last test closes the stack.
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

  /** The stack as a resource of the JVM's root test context, closed after the last test. */
  record StackResource(LocalStack stack) implements ExtensionContext.Store.CloseableResource {
    static StackResource open() {
      LocalStack stack = new LocalStack(TestStackConfig.stackConfig());
      stack.down(List.of("all"), line -> System.out.println("[test stack, leftovers] " + line));
      return new StackResource(stack);
    }

    @Override
    public void close() {
      stack.down(List.of("all"), line -> System.out.println("[test stack] " + line));
    }
  }
}
