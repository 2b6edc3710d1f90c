import { invalid } from './errors.js';

/**
 * The one rich-text sanitizer (ARCHITECTURE.md "Shared services, each once") for minutes, notes and
 * anything else a user formats. Strict allowlist, built by construction rather than by filtering:
 * the input is tokenized the way an HTML parser reads it (text, start tags with attributes, end tags,
 * comments), and the output is written afresh from the tokens — only allowlisted tags, only their
 * allowlisted attributes, every text and attribute value decoded and re-escaped. Nothing from the
 * input reaches the output unescaped, so a parse that differs from a browser's can lose formatting
 * but cannot smuggle markup. The output is balanced (open tags closed) and a fixed point:
 * sanitizeHtml(sanitizeHtml(x)) === sanitizeHtml(x).
 *
 * (The npm sanitizers need Node 22 at their current versions; this file is small enough to own.)
 */

/** Tags kept (without attributes unless listed in ATTRS). */
const ALLOWED = new Set([
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'img',
]);
const VOID = new Set(['br', 'img']);

/** Elements whose content is text to a browser (raw text / RCDATA): skipped up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'iframe', 'noscript', 'xmp', 'noembed', 'noframes', 'textarea', 'title']);
/** Elements dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set([...RAW_TEXT, 'object', 'embed', 'template', 'svg', 'math', 'applet', 'frameset', 'frame', 'select', 'plaintext']);

/** Deeper nesting is flattened (content kept), so hostile input cannot make closing quadratic. */
const MAX_DEPTH = 64;

/** Where sanitized images may point: attachments served by this application. */
const IMG_SRC = /^\/api\/attachments\/\d{1,12}$/;
const HREF_SCHEMES = new Set(['http', 'https', 'mailto']);

type Token =
  | { type: 'text'; text: string }
  | { type: 'start'; name: string; attrs: Map<string, string> }
  | { type: 'end'; name: string };

const isAlpha = (c: string | undefined) => !!c && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
/** ASCII-only lower case: keeps string indexes stable (String#toLowerCase may change lengths). */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/** Tokenize HTML as a browser's tokenizer would, closely enough for an allowlist (comments, bogus comments, attributes, raw text). */
export function tokenize(html: string): Token[] {
  const out: Token[] = [];
  const n = html.length;
  let lower: string | null = null;
  let i = 0;
  const text = (t: string) => {
    if (t === '') return;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text += t;
    else out.push({ type: 'text', text: t });
  };
  const skipTo = (needle: string, from: number) => {
    const k = html.indexOf(needle, from);
    return k === -1 ? n : k + needle.length;
  };

  /** Parse a tag whose name starts at `p`; returns the token (null when the input ends inside the tag) and the next index. */
  const readTag = (p: number, end: boolean): [Token | null, number] => {
    let j = p;
    while (j < n && !isSpace(html[j]) && html[j] !== '/' && html[j] !== '>') j++;
    const name = asciiLower(html.slice(p, j));
    const attrs = new Map<string, string>();
    for (;;) {
      while (j < n && (isSpace(html[j]) || html[j] === '/')) j++;
      if (j >= n) return [null, n];
      if (html[j] === '>') { j++; break; }
      const a0 = j++;
      while (j < n && !isSpace(html[j]) && html[j] !== '/' && html[j] !== '>' && html[j] !== '=') j++;
      const attr = asciiLower(html.slice(a0, j));
      while (j < n && isSpace(html[j])) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < n && isSpace(html[j])) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const close = html.indexOf(q, j + 1);
          if (close === -1) return [null, n];
          value = html.slice(j + 1, close);
          j = close + 1;
        } else {
          const v0 = j;
          while (j < n && !isSpace(html[j]) && html[j] !== '>') j++;
          value = html.slice(v0, j);
        }
      }
      if (!attrs.has(attr)) attrs.set(attr, value); // the first of duplicate attributes wins, as in browsers
    }
    return [end ? { type: 'end', name } : { type: 'start', name, attrs }, j];
  };

  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) { text(html.slice(i)); break; }
    text(html.slice(i, lt));
    i = lt;
    const c = html[i + 1];
    if (c === '!') {
      if (html.startsWith('<!--', i)) {
        if (html.startsWith('>', i + 4)) i += 5; // <!-->
        else if (html.startsWith('->', i + 4)) i += 6; // <!--->
        else {
          const a = html.indexOf('-->', i + 4);
          const b = html.indexOf('--!>', i + 4);
          i = a === -1 && b === -1 ? n : a === -1 ? b + 4 : b === -1 || a < b ? a + 3 : b + 4;
        }
      } else i = skipTo('>', i + 2); // doctype, CDATA and other bogus comments
      continue;
    }
    if (c === '?') { i = skipTo('>', i + 2); continue; }
    if (c === '/') {
      const d = html[i + 2];
      if (isAlpha(d)) {
        const [tok, next] = readTag(i + 2, true);
        if (tok) out.push(tok);
        i = next;
      } else if (d === undefined) { text('</'); i = n; } else i = skipTo('>', i + 2); // '</>' vanishes, '</ x>' is a bogus comment
      continue;
    }
    if (!isAlpha(c)) { text('<'); i += 1; continue; }
    const [tok, next] = readTag(i + 1, false);
    i = next;
    if (!tok) continue; // input ended inside the tag: a browser drops it too
    out.push(tok);
    if (tok.type === 'start' && tok.name === 'plaintext') { i = n; continue; }
    if (tok.type === 'start' && RAW_TEXT.has(tok.name)) {
      // content is text up to the matching end tag; it is dropped with its element anyway
      lower ??= asciiLower(html);
      let k = i;
      for (;;) {
        k = lower.indexOf(`</${tok.name}`, k);
        if (k === -1) { k = n; break; }
        const after = html[k + 2 + tok.name.length];
        if (after === undefined || isSpace(after) || after === '/' || after === '>') break;
        k += 1;
      }
      i = k;
    }
  }
  return out;
}

// --- entities -------------------------------------------------------------------------------

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', tab: '\t', newline: '\n', colon: ':',
  sol: '/', bsol: '\\', lpar: '(', rpar: ')', period: '.', comma: ',', semi: ';', excl: '!', num: '#',
  percnt: '%', plus: '+', equals: '=', quest: '?', commat: '@', lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']',
  lcub: '{', rcub: '}', verbar: '|', grave: '`', hat: '^', ast: '*', dollar: '$', lowbar: '_', hyphen: '-',
  copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“',
  rdquo: '”', middot: '·', bull: '•', times: '×', divide: '÷', deg: '°', plusmn: '±', sect: '§', para: '¶',
  yen: '¥', euro: '€', laquo: '«', raquo: '»', larr: '←', rarr: '→', uarr: '↑', darr: '↓', ensp: '\u2002',
  emsp: '\u2003', thinsp: '\u2009', zwnj: '\u200c', zwj: '\u200d', shy: '\u00ad',
};
const ENTITY = /&(?:#[xX]0*([0-9a-fA-F]+)|#0*([0-9]+)|([a-zA-Z][a-zA-Z0-9]{0,31}));?/g;

/**
 * Decode character references the way they matter for safety: numeric ones (with or without `;`)
 * and the named ones above (with `;`). An unknown name stays literal and its `&` is escaped on
 * output, so what is checked is exactly what the browser will see.
 */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      if (!m.endsWith(';')) return m;
      return NAMED[name] ?? NAMED[name.toLowerCase()] ?? m;
    }
    const digits = hex ?? dec!;
    if (digits.length > 8) return '\ufffd'; // beyond U+10FFFF whatever the digits
    const code = hex !== undefined ? parseInt(hex, 16) : parseInt(digits, 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  });
}

/** C0 controls other than tab, newline and carriage return, and DEL: never meaningful in notes. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

// --- URLs -----------------------------------------------------------------------------------

/**
 * An href is kept only when, after decoding, it is an absolute http, https or mailto URL. Browsers
 * ignore leading/trailing controls and spaces and remove tabs and newlines anywhere in a URL, so
 * `java&#x09;script:` or ` javascript:` are read here exactly as a browser would read them. The
 * serialized URL has quotes, spaces and angle brackets percent-encoded.
 */
export function safeHref(raw: string): string | null {
  const cleaned = decodeEntities(raw).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  if (/[\u0000-\u001f\u007f]/.test(cleaned)) return null;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned);
  if (!m || !HREF_SCHEMES.has(m[1].toLowerCase())) return null;
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return null;
  }
  if (!HREF_SCHEMES.has(url.protocol.slice(0, -1))) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  return url.href.replace(/[\s"'<>`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function safeImgSrc(raw: string): string | null {
  const v = decodeEntities(raw).trim();
  return IMG_SRC.test(v) ? v : null;
}

// --- sanitize -------------------------------------------------------------------------------

export function sanitizeHtml(html: string): string {
  let out = '';
  const stack: string[] = [];
  let skip: { name: string; depth: number } | null = null;
  for (const tok of tokenize(html)) {
    if (skip) {
      if (tok.type === 'start' && tok.name === skip.name) skip.depth += 1;
      else if (tok.type === 'end' && tok.name === skip.name && --skip.depth === 0) skip = null;
      continue;
    }
    if (tok.type === 'text') {
      out += escapeHtml(decodeEntities(tok.text).replace(CONTROL, ''));
      continue;
    }
    if (tok.type === 'start') {
      if (DROP_WITH_CONTENT.has(tok.name)) {
        if (!RAW_TEXT.has(tok.name) && tok.name !== 'embed' && tok.name !== 'frame') skip = { name: tok.name, depth: 1 };
        continue;
      }
      if (!ALLOWED.has(tok.name)) continue;
      if (tok.name === 'img') {
        const src = safeImgSrc(tok.attrs.get('src') ?? '');
        if (src) out += `<img src="${escapeHtml(src)}">`;
        continue;
      }
      if (tok.name === 'br') { out += '<br>'; continue; }
      if (stack.length >= MAX_DEPTH) continue;
      if (tok.name === 'a') {
        const href = safeHref(tok.attrs.get('href') ?? '');
        if (!href || stack.includes('a')) continue; // no link without a target, no link inside a link
        out += `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">`;
      } else out += `<${tok.name}>`;
      stack.push(tok.name);
      continue;
    }
    // end tag: close up to the matching open element; a stray end tag is dropped
    if (!ALLOWED.has(tok.name) || VOID.has(tok.name)) continue;
    const at = stack.lastIndexOf(tok.name);
    if (at === -1) continue;
    while (stack.length > at) out += `</${stack.pop()}>`;
  }
  while (stack.length > 0) out += `</${stack.pop()}>`;
  return out;
}

// --- plain text -----------------------------------------------------------------------------

/** True when the string holds something a browser would parse as markup: `<` before a letter, `/`, `!` or `?`. */
export function hasMarkup(s: string): boolean {
  return /<[a-zA-Z!/?]/.test(s);
}

/**
 * Plain-text fields (names, titles, reasons) refuse markup outright rather than sanitize it
 * (ACCEPTANCE.md "People's screens"): `a < b` is fine, `<b>` is refused. Returns the value.
 */
export function assertPlainText(s: string, label: string, field?: string): string {
  if (hasMarkup(s)) {
    const msg = `${label}不能包含 HTML 标记（如“<…>”），请输入纯文本`;
    throw invalid(msg, { [field ?? label]: msg });
  }
  return s;
}
