import { createServer, type Server, type Socket } from "node:net";
import { authRequest } from "../protocol/frames.js";
import { type ConnectionHost, EslConnection } from "./connection.js";

/** The inbound Event Socket listener (mod_event_socket's :8021). */
export class InboundServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  readonly connections = new Set<EslConnection>();

  constructor(private readonly host: ConnectionHost) {
    this.server = createServer((socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    const conn = new EslConnection(this.host, socket, "inbound");
    this.connections.add(conn);
    conn.onClose = () => this.connections.delete(conn);
    conn.write(authRequest());
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        const addr = this.server.address();
        resolve(typeof addr === "object" && addr ? addr.port : port);
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
