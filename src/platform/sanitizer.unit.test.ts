import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from './errors.js';
import { assertPlainText, decodeEntities, escapeHtml, hasMarkup, safeHref, sanitizeHtml } from './sanitizer.js';

/**
 * XSS payloads in the style of the OWASP XSS Filter Evasion Cheat Sheet. Every output must contain
 * no `<script`, no event-handler attribute and no `javascript:`.
 */
const PAYLOADS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>',
  '<ScRiPt>alert(1)</sCrIpT>',
  '<script/xss src="http://xss.rocks/xss.js"></script>',
  '<<SCRIPT>alert("XSS");//<</SCRIPT>',
  '<SCRIPT SRC=http://xss.rocks/xss.js?< B >',
  '<script>alert(1)',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '</script><script>alert(1)</script>',
  '<script>/*</script><script>*/alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="/api/attachments/1" onerror="alert(1)">',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<IMG SRC=javascript:alert(\'XSS\')>',
  '<IMG SRC=JaVaScRiPt:alert(\'XSS\')>',
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097>',
  '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
  '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JAVASCRIPT:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java\nscript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="java\u0000script:alert(1)">x</a>',
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  '<a href="&#106;avascript&#58;alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="jav&Tab;ascript:alert(1)">x</a>',
  '<a href="java&NewLine;script:alert(1)">x</a>',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="http://example.com" onclick="alert(1)">x</a>',
  '<a href="http://example.com"onclick="alert(1)">x</a>',
  '<a onmouseover="alert(1)" href="https://example.com">x</a>',
  '<a href=http://example.com/ onmouseover=alert(1)>x</a>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg/onload=alert(1)>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
  '<svg><p><style><img src="</style><img src=x onerror=alert(1)//">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<body onload=alert(1)>',
  '<BODY BACKGROUND="javascript:alert(\'XSS\')">',
  '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<DIV STYLE="background-image: url(javascript:alert(\'XSS\'))">',
  '<DIV STYLE="width: expression(alert(\'XSS\'));">',
  '<STYLE>@import\'javascript:alert("XSS")\';</STYLE>',
  '<STYLE>li {list-style-image: url("javascript:alert(\'XSS\')");}</STYLE><UL><LI>XSS</br>',
  '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
  '<TABLE BACKGROUND="javascript:alert(\'XSS\')">',
  '<TABLE><TD BACKGROUND="javascript:alert(\'XSS\')">',
  '<BASE HREF="javascript:alert(\'XSS\');//">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)">',
  '<!--<script>alert(1)</script>-->',
  '<!--[if gte IE 4]><SCRIPT>alert(\'XSS\');</SCRIPT><![endif]-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<!DOCTYPE html><script>alert(1)</script>',
  '<?xml version="1.0"?><script>alert(1)</script>',
  '<p>unclosed <b>bold <a href="javascript:alert(1)">x',
  '<p <script>alert(1)</script>>',
  '<a href="http://x"<script>alert(1)</script>',
  '<img src="/api/attachments/1"/onerror=alert(1)>',
  '<img/src="/api/attachments/1"onerror=alert(1)>',
  '<p title="a" title2=\'b\' =c d>text</p>',
  '<div><p>nested</div></p></li></ul>',
  '<a href="https://example.com/?q=<script>">ok</a>',
  '"><script>alert(1)</script>',
  '\'><img src=x onerror=alert(1)>',
  '<x onclick=alert(1)>click</x>',
  '<XSS STYLE="behavior: url(xss.htc);">',
  '<plaintext><script>alert(1)</script>',
  '<textarea><script>alert(1)</script></textarea>',
  '<title><script>alert(1)</script></title>',
  '<select><option><script>alert(1)</script></select>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '<scr\u0000ipt>alert(1)</scr\u0000ipt>',
  '<a href="h&#x74;tps://example.com/" ONCLICK=alert(1)>ok</a>',
];

/** The tags in an output (the sanitizer escapes every `<` of text, so each `<` starts a tag it wrote). */
const tagsOf = (html: string) => html.match(/<[^>]*>/g) ?? [];

/** No script tag anywhere; inside tags no handler, no javascript:, nothing outside the allowlist. */
function expectSafe(out: string) {
  expect(out).not.toMatch(/<script/i);
  for (const tag of tagsOf(out)) {
    expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(tag).not.toMatch(/javascript:/i);
    expect(tag).toMatch(/^<\/?(p|br|strong|b|em|i|u|s|ul|ol|li|h3|h4|blockquote|table|thead|tbody|tr|th|td|a|img)( (href|src|rel|target)="[^"<>]*")*>$/);
  }
}

describe('sanitizeHtml: XSS payloads', () => {
  it.each(PAYLOADS)('%s', (payload) => {
    const out = sanitizeHtml(payload);
    expectSafe(out);
    // the cheat-sheet checks on the whole output hold too: no payload left a handler or a
    // javascript: URL behind even as inert text (the property test below mixes such text in freely)
    expect(out).not.toMatch(/on\w+=/i);
    expect(out).not.toMatch(/javascript:/i);
    expect(sanitizeHtml(out)).toBe(out);
  });
});

describe('sanitizeHtml: what is kept', () => {
  it.each([
    ['<p>会议<strong>决定</strong></p>', '<p>会议<strong>决定</strong></p>'],
    ['<P CLASS="x" style="color:red">段落</P>', '<p>段落</p>'],
    ['<h3>一、议题</h3><ol><li>甲</li><li>乙</li></ol>', '<h3>一、议题</h3><ol><li>甲</li><li>乙</li></ol>'],
    ['<table><thead><tr><th>姓名</th></tr></thead><tbody><tr><td colspan=2>张三</td></tr></tbody></table>',
      '<table><thead><tr><th>姓名</th></tr></thead><tbody><tr><td>张三</td></tr></tbody></table>'],
    ['第一行<br/>第二行<br>', '第一行<br>第二行<br>'],
    ['<a href="https://www.12371.cn/">共产党员网</a>', '<a href="https://www.12371.cn/" rel="noopener noreferrer" target="_blank">共产党员网</a>'],
    ['<a href="mailto:zzb@example.cn" target="_self" rel="opener">邮件</a>', '<a href="mailto:zzb@example.cn" rel="noopener noreferrer" target="_blank">邮件</a>'],
    ['<a href="/members/1">相对链接</a>', '相对链接'],
    ['<a>无链接</a>', '无链接'],
    ['<img src="/api/attachments/42" alt="照片" width=10>', '<img src="/api/attachments/42">'],
    ['<img src="https://evil.example/x.png">', ''],
    ['<img src="/api/attachments/42/../../secret">', ''],
    ['<div><span>保留文字</span></div>', '保留文字'],
    ['<p>未闭合<b>加粗', '<p>未闭合<b>加粗</b></p>'],
    ['<b><i>交错</b></i>', '<b><i>交错</i></b>'],
    ['</p>多余的结束标签', '多余的结束标签'],
    ['a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['&lt;b&gt; &amp;amp; &#x4e2d; &copy; &unknown; &amp', '&lt;b&gt; &amp;amp; 中 © &amp;unknown; &amp;amp'],
    ['"引号" \'单引号\'', '&quot;引号&quot; &#39;单引号&#39;'],
    ['<a href="http://a.example/x y?q=\'1\'">空格</a>', '<a href="http://a.example/x%20y?q=%271%27" rel="noopener noreferrer" target="_blank">空格</a>'],
    ['<a href="https://x.example/"><a href="https://y.example/">嵌套</a></a>', '<a href="https://x.example/" rel="noopener noreferrer" target="_blank">嵌套</a>'],
    ['<svg><p>在 svg 里</p></svg>之后', '之后'],
    ['<script>x</script>之后<style>y</style>', '之后'],
    ['文字<!-- 注释 -->继续', '文字继续'],
    ['控制\u0001字符\u0000', '控制字符'],
  ])('%s → %s', (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });

  it('keeps nesting bounded: deep input is flattened, not rejected', () => {
    const deep = '<b>'.repeat(200) + 'x';
    const out = sanitizeHtml(deep);
    expect(tagsOf(out).length).toBe(128);
    expect(out).toContain('x');
  });

  it('is linear enough on hostile input', () => {
    const evil = '<p>'.repeat(20000) + '</p>'.repeat(20000) + '<a href="'.repeat(5000) + '&#'.repeat(20000);
    const t0 = performance.now();
    sanitizeHtml(evil);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('safeHref', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['HTTP://EXAMPLE.COM/a', 'http://example.com/a'],
    ['  https://example.com/  ', 'https://example.com/'],
    ['mailto:a@b.cn', 'mailto:a@b.cn'],
    ['javascript:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['&#x6a;avascript:alert(1)', null],
    ['data:text/html,x', null],
    ['//evil.example/', null],
    ['/relative', null],
    ['http://', null],
    ['ftp://example.com/', null],
  ])('%j → %j', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});

describe('assertPlainText', () => {
  it.each(['张三', 'a < b', '1<2', '<', '5 > 3', '支部 & 小组', '<<', '< script>'])('accepts %j', (s) => {
    expect(assertPlainText(s, '名称')).toBe(s);
  });
  it.each(['<b>张三</b>', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</p>', '<!-- x -->', '<?php ?>', '张<i>三'])('refuses %j with a Chinese validation error', (s) => {
    try {
      assertPlainText(s, '姓名', 'name');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('validation');
      expect((e as AppError).message).toContain('姓名不能包含 HTML 标记');
      expect((e as AppError).details).toEqual({ fields: { name: expect.stringContaining('纯文本') } });
    }
  });
});

describe('properties', () => {
  const fragment = fc.oneof(
    fc.constantFrom(
      '<p>', '</p>', '<b>', '</b>', '<a href="https://x.example/?a=1&amp;b=2">', '<a href=javascript:alert(1)>', '</a>', '<br/>',
      '<img src="/api/attachments/7">', '<img src=x onerror=alert(1)>', '<script>', '</script>', '<svg>', '</svg>', '<!--', '-->',
      '<table>', '<td>', '</tr>', '<', '>', '&', '&amp;', '&lt;', '&#60;', '&#x3c;', '&quot;', '"', "'", '=', ' onclick=', '<![CDATA[',
      ']]>', '<!', '</', '<style>', '</style>', '<li>', '</ul>', '\t', '\n', '\u0000', 'javascript:', '<textarea>', '</textarea>',
    ),
    fc.string({ maxLength: 8 }),
  );
  const htmlish = fc.array(fragment, { maxLength: 40 }).map((a) => a.join(''));

  it('sanitize is a fixed point: sanitize(sanitize(x)) === sanitize(x)', () => {
    fc.assert(fc.property(fc.oneof(htmlish, fc.string()), (x) => {
      const once = sanitizeHtml(x);
      return sanitizeHtml(once) === once;
    }), { numRuns: 3000 });
  });

  it('only allowlisted tags and attributes ever come out', () => {
    fc.assert(fc.property(htmlish, (x) => {
      const out = sanitizeHtml(x);
      expectSafe(out);
    }), { numRuns: 2000 });
  });

  it('plain text (no markup, no entities) comes out escaped and otherwise unchanged', () => {
    const plain = fc.string().filter((s) => !s.includes('<') && !s.includes('&') && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s));
    fc.assert(fc.property(plain, (s) => sanitizeHtml(s) === escapeHtml(s) && decodeEntities(escapeHtml(s)) === s));
  });

  it('any text is shown as written once escaped: escape then sanitize gives the escaped text back', () => {
    const noControls = fc.string().map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ''));
    fc.assert(fc.property(noControls, (s) => sanitizeHtml(escapeHtml(s)) === escapeHtml(s) && !hasMarkup(escapeHtml(s))));
  });
});
