import { describe, expect, it } from 'vitest';
import { escapeMarkdown, md, mdTable } from './markdown.js';

describe('md`` escapes every value by default', () => {
  it('turns what Markdown reads as inline markup into characters', () => {
    expect(escapeMarkdown('**bold** _it_ [link](javascript:x) ![i](y) `c` ~~s~~ a|b \\')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\[link\\](javascript:x) !\\[i\\](y) \\`c\\` \\~\\~s\\~\\~ a\\|b \\\\',
    );
  });

  it('writes raw HTML and entities out as text', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> &amp;')).toBe('&lt;img src=x onerror=alert(1)&gt; &amp;amp;');
  });

  it('never starts a block: headings, lists, quotes and underlines at the start of a line, and line breaks', () => {
    expect(escapeMarkdown('# h')).toBe('\\# h');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('12. item')).toBe('12\\. item');
    expect(escapeMarkdown('3) item')).toBe('3\\) item');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    expect(escapeMarkdown('===')).toBe('\\===');
    expect(escapeMarkdown('a\n# b\r\n- c')).toBe('a<br>\\# b<br>\\- c');
    // Only at the start: a sentence keeps its numbers and dashes.
    expect(escapeMarkdown('v1.5 - fine')).toBe('v1.5 - fine');
  });

  it('keeps our own markup and nested templates, and escapes values in them', () => {
    const name = '*Ana*';
    expect(md`- **${name}**: ${md`_${'x_y'}_`} ${3} ${null}${false}${['[', ']']}`.text).toBe('- **\\*Ana\\***: _x\\_y_ 3 \\[\\]');
  });

  it('keeps a typed "|" inside its table cell', () => {
    expect(mdTable(['a|b', 'c'], [['1 | 2', md`**${'x'}**`]]).text).toBe('| a\\|b | c |\n| --- | --- |\n| 1 \\| 2 | **x** |');
  });
});
