'use strict';
// What the real Bot API refuses in a `parse_mode=HTML` message, reduced to the cases that matter for tests:
// unsupported or unbalanced tags, an unescaped '<' or '&', empty text, text over 4096 characters.
// Returns null when Telegram would accept the message, else the Bot API's error description.

const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre',
  'blockquote', 'tg-spoiler', 'span', 'tg-emoji']);
const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>/;
const ENTITY = /^&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);/;
const DECODED = { lt: '<', gt: '>', amp: '&', quot: '"' };

function decodeEntity(body) {
  if (body in DECODED) return DECODED[body];
  const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return String.fromCodePoint(Math.min(code, 0x10ffff));
}

/** The visible text of an HTML message (tags removed, entities decoded), or an error description. */
function parseHtml(html) {
  const stack = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const rest = html.slice(i, i + 300);
    if (html[i] === '<') {
      const m = TAG.exec(rest);
      if (!m) return { error: `Bad Request: can't parse entities: unexpected '<' at byte offset ${i}` };
      const name = m[2].toLowerCase();
      if (!ALLOWED.has(name)) {
        return { error: `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${i}` };
      }
      if (m[1]) {
        if (stack.pop() !== name) {
          return { error: `Bad Request: can't parse entities: Unmatched end tag at byte offset ${i}, expected "</${name}>"` };
        }
      } else {
        stack.push(name);
      }
      i += m[0].length;
    } else if (html[i] === '&') {
      const m = ENTITY.exec(rest);
      if (!m) return { error: `Bad Request: can't parse entities: Unsupported entity at byte offset ${i}` };
      text += decodeEntity(m[1]);
      i += m[0].length;
    } else {
      text += html[i];
      i += 1;
    }
  }
  if (stack.length) return { error: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack.pop()}"` };
  return { text };
}

/** null when a sendMessage/editMessageText text would be accepted, else the error description. */
function checkText(text, parseMode) {
  let visible = text || '';
  if (parseMode === 'HTML') {
    const parsed = parseHtml(visible);
    if (parsed.error) return parsed.error;
    visible = parsed.text;
  }
  if (!visible.trim()) return 'Bad Request: message text is empty';
  if (visible.length > 4096) return 'Bad Request: message is too long';
  return null;
}

module.exports = { checkText, parseHtml };
