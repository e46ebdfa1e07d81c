// The in-namespace half of Container.dial(): runs inside a container's network namespace (not
// its pid or mount namespace) and listens on a Unix socket in the host's file system. Each
// client sends "<port>\n"; the relay connects to 127.0.0.1:<port> inside the namespace and
// answers "OK\n" then relays bytes both ways, or "ERR <code>\n" and closes.
// Usage: node relay.mjs <socket path>. Exits when its stdin closes (its parent is gone).

import { connect, createServer } from 'node:net';

const socketPath = process.argv[2];

const server = createServer({ allowHalfOpen: true }, (client) => readHeader(client));
server.listen(socketPath, () => process.stdout.write('ready\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

function readHeader(client) {
  let header = Buffer.alloc(0);
  client.on('error', () => client.destroy());
  const onData = (chunk) => {
    header = Buffer.concat([header, chunk]);
    const newline = header.indexOf(10);
    if (newline < 0) {
      if (header.length > 16) client.destroy();
      return;
    }
    client.off('data', onData);
    client.pause();
    relay(client, Number(header.subarray(0, newline)), header.subarray(newline + 1));
  };
  client.on('data', onData);
}

function relay(client, port, early) {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    client.end('ERR EINVAL\n');
    return;
  }
  // noDelay: the agent is written in Go, whose TCP connections send without Nagle's delay.
  const target = connect({ host: '127.0.0.1', port, allowHalfOpen: true, noDelay: true });
  target.once('connect', () => {
    target.off('error', refuse);
    target.on('error', () => client.destroy());
    client.on('close', () => target.destroy());
    client.write('OK\n');
    if (early.length > 0) target.write(early);
    client.pipe(target);
    target.pipe(client);
  });
  const refuse = (error) => client.end(`ERR ${error.code ?? 'EIO'}\n`);
  target.once('error', refuse);
}
