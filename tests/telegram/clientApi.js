'use strict';
// The test side (JSON over HTTP): users send messages, commands, button presses and inline queries; tests
// read what the bot sent, the API calls it made, and inject faults. Messages are built with
// telegram-test-api's client (makeMessage / makeCommand) and then completed the way Telegram completes them.

const { botUser } = require('./botApi');

const MEDIA = {
  sticker: { sticker: { file_id: 'st1', file_unique_id: 'st1u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '🙂' } },
  photo: { photo: [{ file_id: 'ph1', file_unique_id: 'ph1u', width: 90, height: 90 }] },
  voice: { voice: { file_id: 'vo1', file_unique_id: 'vo1u', duration: 2 } },
};

/** bot_command at the start, mentions anywhere (offsets in UTF-16 units, as JS strings count). */
function entitiesOf(text) {
  const entities = [];
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const m of text.matchAll(/@[A-Za-z0-9_]{5,32}/g)) {
    if (!command || m.index >= command[0].length) entities.push({ type: 'mention', offset: m.index, length: m[0].length });
  }
  return entities;
}

/** The sending user's language (Telegram's from.language_code) and username, when the test gives them. */
function withLanguage(user, b) {
  const speaking = b.language_code ? { ...user, language_code: String(b.language_code) } : user;
  return b.username ? { ...speaking, username: String(b.username) } : speaking;
}

function chatOf(b) {
  const id = Number(b.chat_id);
  const type = b.chat_type || 'private';
  const chat = type === 'private' ? { id, type, first_name: b.first_name || 'User' } : { id, type, title: b.title || 'Test group' };
  return type === 'private' && b.username ? { ...chat, username: String(b.username) } : chat;
}

function replyTarget(state, token, b) {
  if (!b.reply_to_message_id) return undefined;
  const stored = state.findBotMessage(token, b.chat_id, b.reply_to_message_id);
  if (stored) {
    return { message_id: stored.messageId, date: Math.floor(stored.time / 1000), chat: state.chat(b.chat_id), from: botUser(token), text: stored.message.text };
  }
  const user = { id: Number(b.reply_to_user_id || 999), is_bot: false, first_name: 'Someone' };
  return { message_id: Number(b.reply_to_message_id), date: Math.floor(Date.now() / 1000), chat: state.chat(b.chat_id), from: user, text: '…' };
}

function buildMessage(state, b) {
  const client = state.server.getClient(b.token, { chatId: Number(b.chat_id), userId: Number(b.user_id || b.chat_id), firstName: b.first_name || 'User' });
  const text = b.text === undefined ? '' : String(b.text);
  const base = text.startsWith('/') ? client.makeCommand(text) : client.makeMessage(text);
  delete base.botToken; // quirk: the client puts the token into every message
  const message = { ...base, from: withLanguage(base.from, b), chat: chatOf(b), message_id: state.server.messageId };
  state.server.messageId += 1;
  if (b.kind && MEDIA[b.kind]) {
    delete message.text;
    delete message.entities;
    Object.assign(message, MEDIA[b.kind]);
    if (b.caption !== undefined) {
      message.caption = String(b.caption);
      const entities = entitiesOf(message.caption).filter((e) => e.type !== 'bot_command');
      if (entities.length) message.caption_entities = entities;
    }
  } else {
    message.entities = b.entities || entitiesOf(text);
    if (!message.entities.length) delete message.entities;
  }
  const reply = replyTarget(state, b.token, b);
  if (reply) message.reply_to_message = reply;
  if (b.message_thread_id) Object.assign(message, { message_thread_id: Number(b.message_thread_id), is_topic_message: true });
  return message;
}

function register(router, state) {
  router.post('/client/message', (req, res) => {
    const b = req.body;
    const message = buildMessage(state, b);
    state.chats.set(String(b.chat_id), message.chat);
    const updateId = state.addUpdate(b.token, { message });
    res.json({ ok: true, result: { update_id: updateId, message_id: message.message_id, time: Date.now() } });
  });
  // Updates the client helpers do not build (channel_post, edited_channel_post…): the body's `update` as it is.
  router.post('/client/update', (req, res) => {
    const b = req.body;
    const updateId = state.addUpdate(b.token, b.update);
    res.json({ ok: true, result: { update_id: updateId } });
  });
  router.post('/client/callback', (req, res) => {
    const b = req.body;
    const stored = state.findBotMessage(b.token, b.chat_id, b.message_id);
    if (!stored) return res.status(404).json({ ok: false, description: 'no such bot message' });
    const from = withLanguage({ id: Number(b.user_id || b.chat_id), is_bot: false, first_name: b.first_name || 'User' }, b);
    const id = `cb${state.server.callbackId++}`;
    const message = { message_id: stored.messageId, date: Math.floor(stored.time / 1000), chat: state.chat(b.chat_id), from: botUser(b.token), text: stored.message.text };
    if (stored.message.reply_markup) message.reply_markup = stored.message.reply_markup;
    if (stored.message.message_thread_id) Object.assign(message, { message_thread_id: stored.message.message_thread_id, is_topic_message: true });
    const updateId = state.addUpdate(b.token, { callback_query: { id, from, chat_instance: `ci${b.chat_id}`, message, data: b.data } });
    return res.json({ ok: true, result: { update_id: updateId, callback_query_id: id } });
  });
  router.post('/client/inline', (req, res) => {
    const b = req.body;
    const from = withLanguage({ id: Number(b.user_id), is_bot: false, first_name: b.first_name || 'User' }, b);
    const id = `iq${state.server.callbackId++}`;
    const updateId = state.addUpdate(b.token, { inline_query: { id, from, query: b.query, offset: b.offset || '', chat_type: 'sender' } });
    res.json({ ok: true, result: { update_id: updateId, inline_query_id: id } });
  });
  // The bot's own membership changed (added to or removed from a group): a my_chat_member update.
  router.post('/client/member', (req, res) => {
    const b = req.body;
    const chat = chatOf(b);
    state.chats.set(String(b.chat_id), chat);
    const from = withLanguage({ id: Number(b.user_id), is_bot: false, first_name: b.first_name || 'User' }, b);
    const rights = ['can_be_edited', 'is_anonymous', 'can_manage_chat', 'can_delete_messages', 'can_manage_video_chats',
      'can_restrict_members', 'can_promote_members', 'can_change_info', 'can_invite_users', 'can_post_stories',
      'can_edit_stories', 'can_delete_stories'];
    const member = (status) => {
      const found = { user: botUser(b.token), status };
      if (status === 'administrator') for (const right of rights) found[right] = false;
      if (status === 'kicked') found.until_date = 0;
      return found;
    };
    const change = { chat, from, date: Math.floor(Date.now() / 1000), old_chat_member: member(b.old_status || 'left'), new_chat_member: member(b.new_status || 'member') };
    const updateId = state.addUpdate(b.token, { my_chat_member: change });
    res.json({ ok: true, result: { update_id: updateId } });
  });
  router.get('/client/history', (req, res) => {
    const { token, chat_id: chatId } = req.query;
    const messages = state.botMessages(token)
      .filter((m) => chatId === undefined || String(m.message.chat_id) === String(chatId))
      .map((m) => ({ message_id: m.messageId, time: m.time, ...m.message }));
    res.json({ ok: true, result: messages });
  });
  const lists = { calls: state.calls, inline_answers: state.inlineAnswers, callback_answers: state.callbackAnswers, deliveries: state.deliveries };
  for (const [name, map] of Object.entries(lists)) {
    router.get(`/client/${name}`, (req, res) => res.json({ ok: true, result: state.list(map, req.query.token) }));
  }
  router.post('/control/fault', (req, res) => {
    const { token, ...fault } = req.body;
    state.addFault(token, fault);
    res.json({ ok: true, result: true });
  });
  router.post('/control/revoke', (req, res) => {
    state.revoked.add(req.body.token);
    res.json({ ok: true, result: true });
  });
  router.get('/control/in_flight', (req, res) => res.json({ ok: true, result: state.inFlight[req.query.method] || 0 }));
  router.get('/health', (req, res) => res.json({ ok: true, result: 'up' }));
}

module.exports = { register };
