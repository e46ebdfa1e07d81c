// Byte streams for transfer tests: a fast pseudo-random source (AES-CTR keystream) that knows
// its own SHA-256, a hashing sink, and a TCP destination that sends and receives at once.

import { createCipheriv, createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable, Writable } from 'node:stream';

const CHUNK = 64 * 1024;

/** `size` pseudo-random bytes; `digest()` is valid once the stream has ended. */
export function randomSource(size: number, seed: number): Readable & { digest(): string } {
  const key = createHash('sha256').update(`seed ${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(CHUNK);
  let left = size;
  let digest = '';
  const source = new Readable({
    highWaterMark: CHUNK,
    read() {
      if (left === 0) {
        digest = hash.digest('hex');
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, left);
      const bytes = cipher.update(zeros.subarray(0, n));
      hash.update(bytes);
      left -= n;
      this.push(bytes);
    },
  });
  return Object.assign(source, { digest: () => digest });
}

/** Hashes everything written to it. */
export function hashingSink(): Writable & { digest(): string; bytes: number } {
  const hash = createHash('sha256');
  let digest = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      sink.bytes += chunk.length;
      hash.update(chunk);
      done();
    },
    final(done) {
      digest = hash.digest('hex');
      done();
    },
  }) as Writable & { digest(): string; bytes: number };
  sink.bytes = 0;
  sink.digest = () => digest || (digest = hash.copy().digest('hex'));
  return sink;
}

export interface DestinationResult {
  sentDigest: string;
  receivedDigest: string;
  receivedBytes: number;
}

export interface Destination {
  port: number;
  /** Settles when one connection has sent `sendSize` bytes and received `expectSize`. */
  result: Promise<DestinationResult>;
  close(): Promise<void>;
}

/**
 * A TCP server on 127.0.0.1 that, for its first connection, sends `sendSize` random bytes while
 * hashing what it receives, and closes the connection once it has received `expectSize` bytes
 * and sent everything.
 */
export async function startDestination(
  sendSize: number,
  expectSize: number,
  seed: number,
): Promise<Destination> {
  let settle!: (result: DestinationResult) => void;
  const result = new Promise<DestinationResult>((resolve) => (settle = resolve));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    serve(socket, sendSize, expectSize, seed).then(settle, () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    result,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serve(
  socket: Socket,
  sendSize: number,
  expectSize: number,
  seed: number,
): Promise<DestinationResult> {
  const source = randomSource(sendSize, seed);
  const hash = createHash('sha256');
  let received = 0;
  const receivedAll = new Promise<void>((resolve) => {
    if (expectSize === 0) resolve();
    socket.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
      if (received >= expectSize) resolve();
    });
  });
  const sentAll = new Promise<void>((resolve) => {
    source.on('end', resolve);
    source.pipe(socket, { end: false });
  });
  await Promise.all([receivedAll, sentAll]);
  await new Promise<void>((resolve) => socket.end(resolve));
  return {
    sentDigest: source.digest(),
    receivedDigest: hash.digest('hex'),
    receivedBytes: received,
  };
}
