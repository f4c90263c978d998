'use strict';
// The Bot API side (`/bot<token>/<method>`), answering the way api.telegram.org does where
// telegram-test-api does not: getMe with is_bot, long-polling getUpdates honouring offset, clean Message
// results with dates in seconds, edits returning the Message, stubs for the methods it lacks, HTML checks,
// webhooks with secret tokens, and injected faults (429 RetryAfter, "can't parse entities", other 400s, 403, 502,
// refusals, delays).

const { checkText, parseHtml } = require('./htmlCheck');

const TRUE_STUBS = ['sendChatAction', 'setMyCommands', 'deleteMyCommands', 'setMyDescription',
  'setMyShortDescription', 'setMyName', 'setChatMenuButton', 'setMessageReaction', 'close', 'logOut',
  'setMyDefaultAdministratorRights'];
const TOKEN = /^(\d+):[A-Za-z0-9_-]+$/;

function jsonParam(value) {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (err) {
    return value;
  }
}

function params(req) {
  const raw = { ...req.query, ...(req.body || {}) };
  const out = {};
  for (const [key, value] of Object.entries(raw)) out[key] = jsonParam(value);
  return out;
}

function fail(res, code, description, extra) {
  res.status(code).json({ ok: false, error_code: code, description, ...(extra || {}) });
}

function botUser(token) {
  return { id: Number(TOKEN.exec(token)[1]), is_bot: true, first_name: 'Wayhome Test', username: 'WayhomeTestBot' };
}

function messageObject(state, token, stored) {
  const m = stored.message;
  const parsed = m.parse_mode === 'HTML' ? parseHtml(m.text || '') : { text: m.text };
  const msg = {
    message_id: stored.messageId,
    date: Math.floor(stored.time / 1000),
    chat: state.chat(m.chat_id),
    from: botUser(token),
    text: parsed.text === undefined ? m.text : parsed.text,
  };
  if (m.reply_markup && m.reply_markup.inline_keyboard) msg.reply_markup = m.reply_markup;
  if (m.message_thread_id) Object.assign(msg, { message_thread_id: Number(m.message_thread_id), is_topic_message: true });
  return msg;
}

function storeBotMessage(state, token, p) {
  const message = {
    chat_id: String(p.chat_id),
    text: p.text,
    parse_mode: p.parse_mode,
    reply_markup: p.reply_markup,
    reply_parameters: p.reply_parameters
      || (p.reply_to_message_id ? { message_id: Number(p.reply_to_message_id) } : undefined),
    link_preview_options: p.link_preview_options,
    disable_web_page_preview: p.disable_web_page_preview,
    message_thread_id: p.message_thread_id === undefined ? undefined : Number(p.message_thread_id),
    edits: 0,
  };
  state.server.addBotMessage(message, token);
  const stored = state.botMessages(token).find((m) => m.message === message);
  return messageObject(state, token, stored);
}

function editMessage(state, token, p, res, fields) {
  const stored = state.findBotMessage(token, p.chat_id, p.message_id);
  if (!stored) return fail(res, 400, 'Bad Request: message to edit not found');
  if (fields.includes('text')) {
    const problem = checkText(p.text, p.parse_mode);
    if (problem) return fail(res, 400, problem);
  }
  for (const field of fields) stored.message[field] = p[field];
  stored.message.edits += 1;
  return res.json({ ok: true, result: messageObject(state, token, stored) });
}

async function getUpdates(state, token, p, req, res) {
  if (state.webhooks.has(token)) {
    return fail(res, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  }
  const offset = Number(p.offset) || 0;
  const limit = Math.min(Number(p.limit) || 100, 100);
  const timeout = Math.min(Number(p.timeout) || 0, 50);
  let pending = state.pending(token, offset);
  if (!pending.length && timeout > 0) {
    await state.waitUpdate(token, timeout * 1000, res);
    pending = state.pending(token, offset);
  }
  const result = pending.slice(0, limit).map((u) => ({ update_id: u.updateId, ...u.body }));
  return res.json({ ok: true, result });
}

const METHODS = {
  getMe: (state, token, p, req, res) => res.json({
    ok: true,
    result: { ...botUser(token), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true },
  }),
  getUpdates,
  sendMessage: (state, token, p, req, res) => {
    const problem = checkText(p.text, p.parse_mode);
    if (problem) return fail(res, 400, problem);
    return res.json({ ok: true, result: storeBotMessage(state, token, p) });
  },
  editMessageText: (state, token, p, req, res) => editMessage(state, token, p, res, ['text', 'parse_mode', 'reply_markup']),
  editMessageReplyMarkup: (state, token, p, req, res) => editMessage(state, token, p, res, ['reply_markup']),
  deleteMessage: (state, token, p, req, res) => res.json({ ok: true, result: true }),
  answerCallbackQuery: (state, token, p, req, res) => {
    state.list(state.callbackAnswers, token).push(p);
    res.json({ ok: true, result: true });
  },
  answerInlineQuery: (state, token, p, req, res) => {
    state.list(state.inlineAnswers, token).push(p);
    res.json({ ok: true, result: true });
  },
  getMyCommands: (state, token, p, req, res) => res.json({ ok: true, result: [] }),
  getWebhookInfo: (state, token, p, req, res) => {
    const hook = state.webhooks.get(token);
    res.json({ ok: true, result: { url: hook ? hook.url : '', has_custom_certificate: false, pending_update_count: 0 } });
  },
  setWebhook: (state, token, p, req, res) => {
    state.webhooks.set(token, { url: p.url, secret_token: p.secret_token });
    if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') state.dropPending(token);
    res.json({ ok: true, result: true, description: 'Webhook was set' });
  },
  deleteWebhook: (state, token, p, req, res) => {
    state.webhooks.delete(token);
    if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') state.dropPending(token);
    res.json({ ok: true, result: true, description: 'Webhook was deleted' });
  },
};
for (const name of TRUE_STUBS) METHODS[name] = (state, token, p, req, res) => res.json({ ok: true, result: true });

async function applyFault(fault, res) {
  if (fault.kind === 'delay') {
    // Hold the request; if the bot hangs up meanwhile (killed), the call never takes effect.
    let gone = false;
    res.on('close', () => { gone = true; });
    await new Promise((resolve) => { setTimeout(resolve, fault.delay_ms || 1000); });
    return gone;
  }
  if (fault.kind === 'retry_after') {
    const seconds = fault.retry_after || 1;
    fail(res, 429, `Too Many Requests: retry after ${seconds}`, { parameters: { retry_after: seconds } });
  } else if (fault.kind === 'parse_entities') {
    fail(res, 400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0');
  } else if (fault.kind === 'refuse') {
    fail(res, 400, 'Bad Request: method is not available');
  } else if (fault.kind === 'forbidden') {
    fail(res, 403, 'Forbidden: bot was blocked by the user');
  } else if (fault.kind === 'bad_request') {
    fail(res, 400, 'Bad Request: chat not found');
  } else {
    fail(res, 502, 'Bad Gateway');
  }
  return true;
}

function register(router, state) {
  router.all('/bot:token/:method', async (req, res, next) => {
    const { token, method } = req.params;
    const handler = METHODS[method];
    if (!handler) return next();
    if (!TOKEN.test(token)) return fail(res, 404, 'Not Found');
    if (state.revoked.has(token)) return fail(res, 401, 'Unauthorized');
    const p = params(req);
    state.logCall(token, method, method === 'getUpdates' ? { offset: p.offset } : p);
    const fault = state.takeFault(token, method, p);
    state.inFlight[method] = (state.inFlight[method] || 0) + 1;
    try {
      if (fault && await applyFault(fault, res)) return undefined;
      return await handler(state, token, p, req, res);
    } finally {
      state.inFlight[method] -= 1;
    }
  });
}

module.exports = { register, botUser };
