// A loopback TCP destination for tests: records what arrives and lets the test write back.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

const WAIT_LIMIT_MS = 10_000;

export class RecordingServer {
  readonly connections: Socket[] = [];
  private chunks: Buffer[] = [];
  private length = 0;
  private listeners: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    server.on('connection', (socket) => {
      this.connections.push(socket);
      socket.on('data', (chunk: Buffer) => {
        this.chunks.push(chunk);
        this.length += chunk.length;
        this.wake();
      });
      socket.on('error', () => {});
      this.wake();
    });
  }

  static async start(): Promise<RecordingServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RecordingServer(server, (server.address() as AddressInfo).port);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Resolves with everything received once at least `length` bytes have arrived. */
  waitForBytes(length: number): Promise<Buffer> {
    return this.until(() => this.length >= length, `${length} bytes`).then(() => this.received);
  }

  waitForConnection(count = 1): Promise<Socket> {
    return this.until(() => this.connections.length >= count, `connection ${count}`).then(
      () => this.connections[count - 1],
    );
  }

  reset(): void {
    for (const socket of this.connections) socket.destroy();
    this.connections.length = 0;
    this.chunks = [];
    this.length = 0;
  }

  close(): Promise<void> {
    this.reset();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (!condition()) {
      if (Date.now() > deadline)
        throw new Error(`destination: no ${what} within ${WAIT_LIMIT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
