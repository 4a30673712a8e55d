package dev.modelsigning.beam.testing;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An embedded S3Proxy (transient in-memory provider) on 127.0.0.1 and a free port, loaded from its
 * self-contained jar in a class loader of its own. S3Proxy 4.x needs AWS SDK v2 2.54 while Beam's
 * S3 filesystem under test runs on the 2.20 SDK that Beam's BOM pins; isolation lets each have its
 * own (see pipeline/pom.xml, execution s3proxy-for-tests). The API is reached by reflection because
 * its classes are not on the test class path.
 */
public final class S3ProxyServer implements AutoCloseable {
  private final URLClassLoader loader;
  private final Object proxy;
  private final int port;

  private S3ProxyServer(URLClassLoader loader, Object proxy, int port) {
    this.loader = loader;
    this.proxy = proxy;
    this.port = port;
  }

  public static Path jar() {
    String configured = System.getProperty("s3proxy.jar");
    Path jar =
        configured != null ? Path.of(configured) : Path.of("target", "s3proxy", "s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy jar not found at "
              + jar.toAbsolutePath()
              + "; the pipeline module's generate-test-resources phase copies it there");
    }
    return jar;
  }

  public static S3ProxyServer start(String accessKey, String secretKey) throws Exception {
    URLClassLoader loader =
        new URLClassLoader(
            "s3proxy", new URL[] {jar().toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader); // Jetty's threads inherit it
    try {
      Object store =
          loader
              .loadClass("org.gaul.s3proxy.BlobStores")
              .getMethod("create", String.class, Properties.class)
              .invoke(null, "transient", new Properties());
      Class<?> proxyClass = loader.loadClass("org.gaul.s3proxy.S3Proxy");
      Object builder = proxyClass.getMethod("builder").invoke(null);
      Class<?> builderClass = builder.getClass();
      builderClass
          .getMethod("blobStore", loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore"))
          .invoke(builder, store);
      builderClass
          .getMethod("endpoint", URI.class)
          .invoke(builder, URI.create("http://127.0.0.1:0"));
      Class<?> authType = loader.loadClass("org.gaul.s3proxy.auth.AuthenticationType");
      builderClass
          .getMethod("awsAuthentication", authType, String.class, String.class)
          .invoke(builder, authType.getField("AWS_V2_OR_V4").get(null), accessKey, secretKey);
      builderClass.getMethod("jettyMaxThreads", int.class).invoke(builder, 16);
      Object proxy = builderClass.getMethod("build").invoke(builder);
      proxyClass.getMethod("start").invoke(proxy);
      for (int i = 0; i < 400 && !"STARTED".equals(call(proxy, "getState")); i++) {
        Thread.sleep(25);
      }
      if (!"STARTED".equals(call(proxy, "getState"))) {
        throw new IllegalStateException("S3Proxy did not start: " + call(proxy, "getState"));
      }
      return new S3ProxyServer(loader, proxy, (Integer) call(proxy, "getPort"));
    } catch (InvocationTargetException e) {
      loader.close();
      throw e.getCause() instanceof Exception c ? c : e;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static Object call(Object target, String method) throws Exception {
    return target.getClass().getMethod(method).invoke(target);
  }

  /** {@code http://127.0.0.1:<port>}: what Beam's {@code --endpoint} takes. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    try {
      call(proxy, "stop");
    } finally {
      loader.close();
    }
  }
}
