import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

/** A small RFC 4180 reader, to check that whatever we write reads back as the cells we meant. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('CSV export', () => {
  it('quotes only what needs quoting', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('')).toBe('');
    expect(csvCell('Chloé — 東京')).toBe('Chloé — 東京');
  });

  it('neutralises spreadsheet formulas with a leading quote', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    // Only the first character matters: an equals sign inside is plain text.
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes a header and rows with CRLF, and reads back as the same cells (hostile text included)', () => {
    const csv = toCsv(
      ['Title', 'Owner'],
      [
        ['<img src=x onerror=alert(1)>', 'Bo, "the boss"'],
        ["=cmd|' /C calc'!A0", 'line\nbreak'],
      ],
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['Title', 'Owner'],
      ['<img src=x onerror=alert(1)>', 'Bo, "the boss"'],
      ["'=cmd|' /C calc'!A0", 'line\nbreak'],
    ]);
  });

  it('any text round-trips, with formulas defused and nothing else changed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 4 }), { maxLength: 5 }), (rows) => {
        const width = rows[0]?.length ?? 1;
        const even = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
        const header = Array.from({ length: width }, (_, i) => `c${i}`);
        const back = parseCsv(toCsv(header, even));
        expect(back[0]).toEqual(header);
        expect(back.slice(1)).toEqual(even.map((r) => r.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell))));
      }),
      { numRuns: 300 },
    );
  });
});
