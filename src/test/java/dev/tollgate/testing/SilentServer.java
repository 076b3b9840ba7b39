package dev.tollgate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A local server that accepts connections and never reads or answers: a peer that hangs. */
public final class SilentServer implements AutoCloseable {

  private final ServerSocket listener;
  private final List<Socket> accepted = new ArrayList<>();

  public SilentServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("silent-server").start(() -> {
      try {
        while (true) {
          Socket socket = listener.accept();
          synchronized (accepted) {
            accepted.add(socket);
          }
        }
      } catch (IOException closed) {
        // closed by the test
      }
    });
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far. */
  public int connections() {
    synchronized (accepted) {
      return accepted.size();
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    synchronized (accepted) {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}
