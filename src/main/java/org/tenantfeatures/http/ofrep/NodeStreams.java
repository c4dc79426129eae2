package org.tenantfeatures.http.ofrep;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.tenantfeatures.boot.Lifecycle;
import org.tenantfeatures.config.AppConfig;

/**
 * What the change streams of a node's HTTP verticles share: their settings, the node's lifecycle
 * (a draining node ends them), and the open streams per token over every verticle (the cap is the
 * node's, not a verticle's).
 */
public record NodeStreams(AppConfig.Streams settings, Lifecycle lifecycle, Map<String, AtomicInteger> openPerToken) {

  public static NodeStreams of(AppConfig.Streams settings, Lifecycle lifecycle) {
    return new NodeStreams(settings, lifecycle, new ConcurrentHashMap<>());
  }
}
