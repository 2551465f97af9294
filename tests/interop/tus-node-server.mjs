// The official tus server for Node.js (@tus/server with @tus/file-store) on a loopback
// port, storing uploads in DIRECTORY. Prints "listening PORT" once ready.
// Usage: node tus-node-server.mjs DIRECTORY
import http from 'node:http';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';

const directory = process.argv[2];
const tus = new Server({ path: '/v1/uploads', datastore: new FileStore({ directory }) });
const server = http.createServer((req, res) => tus.handle(req, res));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
