// Network fakes the package's JS tests share. Not a test file itself (node --test runs *.test.mjs).
import net from 'node:net';

/** A server on 127.0.0.1 that accepts connections and never answers (a metadata service that hangs); closed after `t`. */
export async function hangingServer(t) {
  const sockets = new Set();
  const server = net.createServer((s) => sockets.add(s));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return `http://127.0.0.1:${server.address().port}`;
}
