package dev.modelsigning.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** JDK HttpServer plumbing for the loopback services: 127.0.0.1 only, ephemeral ports. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  private Http() {}

  /** An address literal with its host name preset, so nothing ever does a reverse lookup. */
  static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A route handler that may throw; failures become HTTP 500. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  static HttpServer serve(Map<String, Handler> routes) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(loopback(), 0), 16);
      routes.forEach(
          (path, handler) ->
              server.createContext(
                  path,
                  exchange -> {
                    try (exchange) {
                      handler.handle(exchange);
                    } catch (Exception e) {
                      reply(exchange, 500, "text/plain", String.valueOf(e));
                    }
                  }));
      ExecutorService executor =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "loopback-http");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String baseUrl(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static void stop(HttpServer server) {
    server.stop(0);
    if (server.getExecutor() instanceof ExecutorService executor) {
      executor.shutdownNow();
    }
  }

  static void reply(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  static void reply(HttpExchange exchange, int status, String contentType, String body) {
    try {
      reply(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // client went away
    }
  }

  /** An error in the shape grpc-gateway (Fulcio) and go-swagger (Rekor) use. */
  static void error(HttpExchange exchange, int status, String message) {
    var node = JSON.createObjectNode().put("code", status).put("message", message);
    reply(exchange, status, "application/json", node.toString());
  }
}
