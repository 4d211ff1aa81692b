/**
 * CSV for spreadsheets (RFC 4180): every cell quoted when it needs to be, CRLF between rows,
 * UTF-8 with a byte-order mark so Excel reads accents right. A cell a spreadsheet would run
 * as a formula (= + - @, or a leading tab or carriage return, per OWASP's CSV injection
 * advice) is prefixed with a quote, so "=HYPERLINK(…)" typed into a task title stays text.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const BOM = '\uFEFF';

/** Hands the text to the browser as a download; no Node and no file dialog of our own, so it works in Electron and in browser mode alike. */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([BOM, csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download by now; the object URL would otherwise live as long as the page.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
