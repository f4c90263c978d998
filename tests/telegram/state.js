'use strict';
// Shared state of the emulator around telegram-test-api's TelegramServer: pending user updates with real
// getUpdates semantics (offset confirms, long polling), the bot's messages (kept in the emulator's own store),
// a log of API calls, injected faults, webhooks, and what the bot answered to callbacks and inline queries.

const EventEmitter = require('events');

const MAX_CALLS = 20000;

class EmulatorState extends EventEmitter {
  constructor(server) {
    super();
    this.setMaxListeners(0);
    this.server = server;
    // Telegram's update ids only grow; start from the clock so a restarted emulator keeps growing too.
    server.updateId = Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 10);
    this.calls = new Map(); // token -> [{method, t, params}]
    this.faults = new Map(); // token -> [{method, kind, count, retry_after, delay_ms}]
    this.webhooks = new Map(); // token -> {url, secret_token}
    this.revoked = new Set();
    this.chats = new Map(); // chat id -> chat object (from the users' messages)
    this.inlineAnswers = new Map(); // token -> [{inline_query_id, results, cache_time}]
    this.callbackAnswers = new Map(); // token -> [{callback_query_id, text, show_alert}]
    this.deliveries = new Map(); // token -> [{update_id, status}]
    this.inFlight = {}; // method -> requests being answered
  }

  list(map, token) {
    if (!map.has(token)) map.set(token, []);
    return map.get(token);
  }

  logCall(token, method, params) {
    const calls = this.list(this.calls, token);
    calls.push({ method, t: Date.now(), params });
    if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
  }

  addFault(token, fault) {
    this.list(this.faults, token).push({ count: 1, ...fault });
  }

  /** The first matching fault for this call (its count decremented), or null. */
  takeFault(token, method, params) {
    const faults = this.list(this.faults, token);
    const index = faults.findIndex((f) => (f.method === method || f.method === '*')
      && (f.kind !== 'parse_entities' || params.parse_mode === 'HTML'));
    if (index < 0) return null;
    const fault = faults[index];
    fault.count -= 1;
    if (fault.count <= 0) faults.splice(index, 1);
    return fault;
  }

  /** Store a user update; deliver it to the webhook when one is set. */
  addUpdate(token, body) {
    const updateId = this.server.updateId;
    this.server.updateId += 1;
    const record = { updateId, botToken: token, time: Date.now(), isRead: false, body };
    const webhook = this.webhooks.get(token);
    if (webhook) {
      this.deliver(token, webhook, { update_id: updateId, ...body });
    } else {
      this.server.storage.userMessages.push(record);
      this.emit(`update:${token}`);
    }
    return updateId;
  }

  async deliver(token, webhook, update) {
    const headers = { 'content-type': 'application/json' };
    if (webhook.secret_token) headers['x-telegram-bot-api-secret-token'] = webhook.secret_token;
    let status = 0;
    try {
      const res = await fetch(webhook.url, { method: 'POST', headers, body: JSON.stringify(update) });
      status = res.status;
    } catch (err) {
      status = -1;
    }
    this.list(this.deliveries, token).push({ update_id: update.update_id, status });
  }

  /** Forget updates the bot confirmed (update_id < offset); the rest, oldest first. */
  pending(token, offset) {
    const storage = this.server.storage;
    if (offset) {
      storage.userMessages = storage.userMessages.filter((u) => u.botToken !== token || u.updateId >= offset);
    }
    return storage.userMessages.filter((u) => u.botToken === token && u.body);
  }

  dropPending(token) {
    const storage = this.server.storage;
    storage.userMessages = storage.userMessages.filter((u) => u.botToken !== token);
  }

  /** Resolve when an update arrives for token, or after ms. */
  waitUpdate(token, ms, res) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.off(`update:${token}`, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.on(`update:${token}`, done);
      res.on('close', done);
    });
  }

  botMessages(token) {
    return this.server.storage.botMessages.filter((m) => m.botToken === token);
  }

  findBotMessage(token, chatId, messageId) {
    return this.botMessages(token).find((m) => String(m.messageId) === String(messageId)
      && String(m.message.chat_id) === String(chatId));
  }

  chat(chatId) {
    return this.chats.get(String(chatId)) || { id: Number(chatId), type: 'private', first_name: 'User' };
  }
}

module.exports = { EmulatorState };
