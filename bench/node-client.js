// SPDX-License-Identifier: GPL-3.0-or-later
// Receives N messages with the npm `ws` client and prints messages per second, timed from the
// connection attempt to the Nth message, as bench-ingest times its own clients.
'use strict';

const WebSocket = require('ws');

const [url, count] = process.argv.slice(2);
const wanted = Number(count);
let received = 0;

const start = process.hrtime.bigint();
const ws = new WebSocket(url, { perMessageDeflate: false });

ws.on('message', () => {
  if (++received === wanted) {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(`${wanted / seconds}\n`);
    ws.terminate();
  }
});
ws.on('error', (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
ws.on('close', () => {
  if (received < wanted) {
    process.stderr.write(`closed after ${received} of ${wanted} messages\n`);
    process.exit(1);
  }
});
