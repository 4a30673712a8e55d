package dev.modelsigning.kms;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A KMS endpoint other than the public one: {@code https://host[:port]} (a private or regional
 * endpoint, reached with the worker's credentials over TLS) or {@code http://127.0.0.1:port} (a
 * stand-in on this machine, plaintext: no credentials go to it, and only loopback hosts are
 * accepted, so a typo can never send a key request in the clear over a network).
 */
record KmsEndpoint(URI uri, boolean plaintext) {
  static KmsEndpoint parse(String endpoint) {
    URI uri;
    try {
      uri = URI.create(endpoint.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--kmsEndpoint '" + endpoint + "' is not a URL", e);
    }
    if (uri.getHost() == null
        || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
      throw new InvalidInputException(
          "--kmsEndpoint '"
              + endpoint
              + "' must be https://host[:port] (or http://127.0.0.1:port)");
    }
    boolean plaintext = "http".equals(uri.getScheme());
    if (plaintext && !isLoopback(uri.getHost())) {
      throw new InvalidInputException(
          "--kmsEndpoint '" + endpoint + "': plaintext http is accepted for loopback hosts only");
    }
    return new KmsEndpoint(uri, plaintext);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private int port() {
    return uri.getPort() > 0 ? uri.getPort() : (plaintext ? 80 : 443);
  }

  KeyManagementServiceSettings cloudKmsSettings() {
    try {
      KeyManagementServiceSettings.Builder b =
          KeyManagementServiceSettings.newBuilder().setEndpoint(uri.getHost() + ":" + port());
      if (plaintext) {
        b.setCredentialsProvider(NoCredentialsProvider.create())
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(uri.getHost() + ":" + port())
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build());
      }
      return b.build();
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot configure the Cloud KMS client: " + e.getMessage(), e);
    }
  }

  KmsClient awsClient(String region) {
    return KmsClient.builder()
        .region(Region.of(region))
        .endpointOverride(uri)
        .credentialsProvider(DefaultCredentialsProvider.create())
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }
}
