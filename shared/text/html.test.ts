import { describe, expect, test } from 'vitest';
import { html, lines, trustedHtml } from './html.js';

const HOSTILE = `<script>alert(1)</script> "onerror=alert(2) ' onfocus='alert(3) </style>&amp;`;

describe('html`…`', () => {
  test('escapes every interpolated value, in text and in quoted attributes', () => {
    expect(html`<p title="${HOSTILE}">${HOSTILE}</p>`.markup).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt; &quot;onerror=alert(2) &#39; onfocus=&#39;alert(3) &lt;/style&gt;&amp;amp;">' +
        '&lt;script&gt;alert(1)&lt;/script&gt; &quot;onerror=alert(2) &#39; onfocus=&#39;alert(3) &lt;/style&gt;&amp;amp;</p>',
    );
  });

  test('keeps nested templates and lists of them as markup, escaping only their own values, once', () => {
    const items = ['<a>', 'b & c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>`.markup).toBe('<ul><li>&lt;a&gt;</li><li>b &amp; c</li></ul>');
    expect(html`<p>${html`<em>${'<i>'}</em>`}</p>`.markup).toBe('<p><em>&lt;i&gt;</em></p>');
  });

  test('prints numbers, and nothing for null, undefined and false', () => {
    expect(html`<td>${3}</td><td>${null}${undefined}${false}</td>`.markup).toBe('<td>3</td><td></td>');
  });

  test('a string is text even when it looks like markup: only trustedHtml and html make markup', () => {
    const markup = '<b>bold</b>';
    expect(html`${markup}`.markup).toBe('&lt;b&gt;bold&lt;/b&gt;');
    expect(html`${trustedHtml(markup)}`.markup).toBe(markup);
  });

  test('lines() keeps line breaks as <br> and escapes each line', () => {
    expect(lines('a <b>\r\nc "d"').markup).toBe('a &lt;b&gt;<br>c &quot;d&quot;');
  });
});
