package dev.tollgate.relay;

/**
 * How client streams are relayed.
 *
 * @param maxEventBytes the largest upstream event a stream may carry; beyond it the stream fails
 * @param keepaliveMs idle time before a keepalive goes to the client ({@link StreamKeepalive}); 0: never
 */
public record StreamSettings(int maxEventBytes, long keepaliveMs) {}
