package dev.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP forwarder on a fixed local port that a test can take down and bring back, to make a
 * server (the database) vanish for the gateway without touching the machine's service. Down means
 * every open connection is cut and new ones are refused.
 */
public final class TcpProxy implements AutoCloseable {

  private static final int EPHEMERAL_FLOOR = 32_768;

  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.port = bindOutsideEphemeralRange();
  }

  /**
   * The port must stay free while the proxy is down, so it is taken below the kernel's ephemeral
   * range (32768+ on Linux): a port from that range can be given meanwhile to any outgoing
   * connection, the gateway's own reconnects included, and {@link #up} would then fail to bind.
   */
  private int bindOutsideEphemeralRange() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(EPHEMERAL_FLOOR - 12_000, EPHEMERAL_FLOOR);
      try {
        listen(candidate);
        return candidate;
      } catch (IOException taken) {
        // someone listens there already: try another
      }
    }
    throw new IllegalStateException("no free port below " + EPHEMERAL_FLOOR);
  }

  public int port() {
    return port;
  }

  /** Accepts and forwards connections (again). */
  public synchronized void up() {
    if (listener != null) {
      return;
    }
    try {
      listen(port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + port, e);
    }
  }

  private void listen(int onPort) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    try {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
    } catch (IOException e) {
      closeQuietly(socket);
      throw e;
    }
    listener = socket;
    Thread.ofVirtual().name("tcp-proxy-accept").start(() -> accept(socket));
  }

  /** Cuts every connection and refuses new ones until {@link #up}. */
  public synchronized void down() {
    if (listener == null) {
      return;
    }
    closeQuietly(listener);
    listener = null;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket server = new Socket(targetHost, targetPort);
        open.add(client);
        open.add(server);
        Thread.ofVirtual().start(() -> pump(client, server));
        Thread.ofVirtual().start(() -> pump(server, client));
      } catch (IOException e) {
        // closed by down(), or the target refused: the client sees its connection end
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }

  @Override
  public void close() {
    down();
  }
}
