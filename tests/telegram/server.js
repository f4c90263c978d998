'use strict';
// A local Telegram Bot API for wayhome's end-to-end tests: telegram-test-api's TelegramServer (HTTP server,
// storage, message ids, client message builders) with its quirks fixed by routes that run before its own
// (see ../../../shared/notes/telegram-emulator.md and botApi.js / clientApi.js).
//
//   node server.js --port 9123 [--host 127.0.0.1]
//
// Prints "READY <port>" when listening; stops cleanly on SIGTERM/SIGINT.

const express = require('express');
const TelegramServer = require('telegram-test-api');
const { EmulatorState } = require('./state');
const botApi = require('./botApi');
const clientApi = require('./clientApi');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main() {
  const port = Number(option('port', '9000'));
  const host = option('host', '127.0.0.1');
  const server = new TelegramServer({ port, host, storeTimeout: 3600 });
  const state = new EmulatorState(server);

  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));
  router.use(express.urlencoded({ extended: true, limit: '10mb' }));
  botApi.register(router, state);
  clientApi.register(router, state);

  // Our routes must run before the emulator's own (and its 404 handler): move the new layer up front,
  // right after express's built-in query and init layers.
  const app = server.webServer;
  app.use(router);
  const stack = app._router.stack;
  const layer = stack.pop();
  const init = stack.findIndex((l) => l.name === 'expressInit');
  stack.splice(init + 1, 0, layer);

  await server.start();
  process.stdout.write(`READY ${port}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(0), 2000);
    await server.stop();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`emulator failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
