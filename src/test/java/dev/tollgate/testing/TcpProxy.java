package dev.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a local port that a test can take down and bring back, to make a server (the
 * database, Redis) vanish for the gateway without touching the machine's service. Down means
 * every open connection is cut and each new one is reset as soon as it arrives.
 *
 * <p>The listening socket stays bound for the proxy's whole life: giving the port up while down
 * and binding it again on {@link #up} failed now and then on CI, when something else took the
 * port in between. A reset on connect looks to a client the same as a refused connection.
 */
public final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on a local port", e);
    }
    Thread.ofVirtual().name("tcp-proxy-accept").start(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Accepts and forwards connections (again). */
  public void up() {
    down = false;
  }

  /** Cuts every connection and resets new ones until {@link #up}. */
  public void down() {
    down = true;
    open.forEach(TcpProxy::reset);
    open.clear();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (down) {
          reset(client);
          continue;
        }
        Socket server = new Socket(targetHost, targetPort);
        open.add(client);
        open.add(server);
        if (down) { // taken down while this one was being connected
          down();
          continue;
        }
        Thread.ofVirtual().start(() -> pump(client, server));
        Thread.ofVirtual().start(() -> pump(server, client));
      } catch (IOException e) {
        // the proxy was closed, or the target refused: the client sees its connection end
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

  /** Closes with linger 0, so the peer gets a reset rather than an orderly end. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(socket);
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
    closeQuietly(listener);
  }
}
