import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ApiError, type ChangeNotice } from '../shared/api/api.js';
import { startCore } from '../electron/host/host.js';
import { chromiumPdfPrinter, findChromium, NO_CHROMIUM_MESSAGE } from '../electron/core/library/export.js';
import { electronPdfPrinter } from '../electron/desktop/pdf.js';
import { tempDir } from './helpers.js';
import { HOSTILE, decodeFile, fileText, openCore, reviewedIncident } from './library-fixtures.js';

/** Pages in a PDF: its page objects (the page tree's own /Pages node does not count). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

describe('report export from the core', () => {
  test('Markdown: every follow-up listed, the curated timeline without hidden entries, a safe file name', () => {
    const { core } = openCore(tempDir());
    const incident = reviewedIncident(core);
    const file = core.handle('export.report', { incidentId: incident.incidentId, format: 'markdown', language: 'en', timeZone: 'America/New_York' });
    expect(file.mimeType).toBe('text/markdown; charset=utf-8');
    expect(file.fileName).toMatch(/^checkout-down-img-src-x-onerror-alert-1-report-en-\d{4}-\d{2}-\d{2}\.md$/);
    const md = fileText(file);
    expect(md).toContain('| Add a canary stage &lt;img src=x onerror=alert(1)&gt; | Chloé |');
    expect(md).toContain('| Alert on the checkout error rate | Chloé |');
    expect(md).toContain('| Write the rollback runbook | Bo |');
    expect(md).not.toContain(incident.hiddenText);
    expect(md).toContain(incident.lesson);
    expect(md).toContain('Times are shown in America/New\\_York.');
  });

  test('HTML in French: self-contained and escaped', () => {
    const { core } = openCore(tempDir());
    const { incidentId } = reviewedIncident(core);
    const html = fileText(core.handle('export.report', { incidentId, format: 'html', language: 'fr' }));
    expect(html).toMatch(/^<!DOCTYPE html><html lang="fr">/);
    expect(html).toContain('<h2>Actions de suivi</h2>');
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/<script|https?:\/\//i);
  });

  test('a long incident reports its progress on the change stream under the id the caller chose', () => {
    const { core } = openCore(tempDir());
    const { incidentId } = reviewedIncident(core, { entries: 2500 });
    const seen: NonNullable<ChangeNotice['progress']>[] = [];
    core.onChange((notice) => notice.progress && seen.push(notice.progress));
    core.handle('export.report', { incidentId, format: 'html', language: 'en', jobId: 'job-1' });
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.every((p) => p.jobId === 'job-1' && p.stage === 'building')).toBe(true);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ done: seen.at(-1)!.total });
    core.handle('export.report', { incidentId, format: 'markdown', language: 'en' });
    expect(seen.every((p) => p.jobId === 'job-1')).toBe(true);
  });
});

describe('PDF through Chromium (browser mode: no Electron window)', () => {
  test('the core host prints the HTML report to a PDF with pages, and says how far it got', async () => {
    expect(findChromium(), 'Debian chromium is needed: apt-get install chromium').not.toBeNull();
    const dir = tempDir();
    const seed = openCore(dir);
    const { incidentId } = reviewedIncident(seed.core, { entries: 300 });
    seed.store.close();
    const core = await startCore({ dataDir: dir, transport: 'browser' });
    try {
      const progress: string[] = [];
      core.onChange((notice) => notice.progress && progress.push(notice.progress.stage));
      const file = await core.call('export.report', { incidentId, format: 'pdf', language: 'en', jobId: 'pdf-1' });
      expect(file.mimeType).toBe('application/pdf');
      expect(file.fileName).toMatch(/-report-en-\d{4}-\d{2}-\d{2}\.pdf$/);
      const pdf = decodeFile(file);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPages(pdf)).toBeGreaterThanOrEqual(3);
      expect(progress).toEqual(['printing', 'done']);
      // The warm Chromium prints the next exports in its kept page, one at a time, each whole.
      const [en, fr] = await Promise.all([
        core.call('export.report', { incidentId, format: 'pdf', language: 'en' }),
        core.call('export.report', { incidentId, format: 'pdf', language: 'fr' }),
      ]);
      expect(pdfPages(decodeFile(en))).toBe(pdfPages(pdf));
      expect(decodeFile(fr).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPages(decodeFile(fr))).toBeGreaterThanOrEqual(3);
    } finally {
      await core.close();
    }
  });

  test('without a Chromium on the machine, the refusal names what to install', async () => {
    const printer = chromiumPdfPrinter(() => null);
    await expect(printer.print('<p>x</p>')).rejects.toThrow(ApiError);
    await expect(printer.print('<p>x</p>')).rejects.toThrow(NO_CHROMIUM_MESSAGE);
    expect(NO_CHROMIUM_MESSAGE).toMatch(/apt-get install chromium/);
    const dir = tempDir();
    const seed = openCore(dir);
    const { incidentId } = reviewedIncident(seed.core);
    seed.store.close();
    const core = await startCore({ dataDir: dir, transport: 'browser', pdf: printer });
    try {
      await expect(core.call('export.report', { incidentId, format: 'pdf', language: 'fr' })).rejects.toThrow(/Chromium or Google Chrome/);
    } finally {
      await core.close();
    }
  });

  test('in Electron: a hidden, script-less window in its own session prints the page, loading that one file only, then is gone', async () => {
    const seen: { options?: unknown; url?: string; html?: string; blocked: Record<string, boolean>; printed?: unknown; destroyed: boolean; file?: string } = {
      blocked: {},
      destroyed: false,
    };
    let fail = false;
    class StandInWindow {
      webContents;
      constructor(options: unknown) {
        seen.options = options;
        const session = {
          setPermissionRequestHandler: () => undefined,
          webRequest: {
            onBeforeRequest: (listener: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) => {
              for (const url of ['https://example.com/x.png', 'file:///etc/passwd', 'data:,x']) listener({ url }, (r) => (seen.blocked[url] = r.cancel));
            },
          },
        };
        this.webContents = {
          session,
          printToPDF: async (options: unknown) => {
            seen.printed = options;
            if (fail) throw new Error('printer jammed');
            return Buffer.from('%PDF-1.7 stand-in');
          },
        };
      }
      async loadURL(url: string) {
        seen.url = url;
        seen.file = fileURLToPath(url);
        seen.html = readFileSync(seen.file, 'utf8');
      }
      destroy() {
        seen.destroyed = true;
      }
    }
    const printer = electronPdfPrinter(StandInWindow as unknown as Parameters<typeof electronPdfPrinter>[0]);
    const pdf = await printer.print('<p>Report</p>');
    expect(pdf.toString()).toBe('%PDF-1.7 stand-in');
    expect(seen.options).toMatchObject({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect((seen.options as { webPreferences: { partition: string } }).webPreferences.partition).toMatch(/^warroom-print-/);
    expect(seen.html).toBe('<p>Report</p>');
    expect(seen.blocked).toEqual({ 'https://example.com/x.png': true, 'file:///etc/passwd': true, 'data:,x': true });
    expect(seen.printed).toMatchObject({ pageSize: 'A4', printBackground: true });
    expect(seen.destroyed).toBe(true);
    expect(existsSync(seen.file!)).toBe(false);
    fail = true;
    seen.destroyed = false;
    await expect(printer.print('<p>Again</p>')).rejects.toThrow('printer jammed');
    expect(seen.destroyed).toBe(true);
    expect(existsSync(seen.file!)).toBe(false);
  });

  test('finds Chromium where it is installed, or where WARROOM_CHROMIUM says', () => {
    expect(findChromium({ WARROOM_CHROMIUM: '/nowhere/chrome' }, 'linux')).toBeNull();
    expect(findChromium({ PATH: '' }, 'linux')).toBe(existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : findChromium({ PATH: '' }, 'linux'));
    expect(findChromium({ PATH: '/nowhere' }, 'aix')).toBeNull();
  });
});
