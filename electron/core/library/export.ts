import { existsSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { exportArchiveNow } from './archive-export.js';
import { ApiError, refuse, type ChangeNotice, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import { ARCHIVE_LIMITS, ArchiveError, isoDay, parseArchiveSteps, safeFileStem } from '../../../shared/library/archive.js';
import type { EventEnvelope } from '../../../shared/record/events.js';
import type { AdmittedBatch } from '../../../shared/record/untrusted.js';
import { viewIncident, type IncidentState } from '../../../shared/record/fold.js';
import type { ExportFile, ExportProgress, ReportFormat } from '../../../shared/library/channels.js';
import { reportHtml, reportMarkdown, reportModel } from '../../../shared/review/report.js';
import type { SlaPolicy } from '../../../shared/clocks/sla.js';
import type { Store } from '../../store/store.js';

/**
 * Files that leave the console: the post-incident report (Markdown, self-contained HTML, PDF
 * through Chromium's print) and the portable incident archive, and the archive coming back in.
 * Files are handed to the window as content (name, type, base64); the window saves them.
 */

export interface ExportDeps {
  store: Store;
  now: () => number;
  policy: () => SlaPolicy;
  requireIncident(incidentId: string): IncidentState;
  /** Events recorded elsewhere, admitted (shared/record/untrusted.ts): stored in one transaction, queued for the hub, announced. */
  ingest(batch: AdmittedBatch): EventEnvelope[];
  /** A change notice that carries no event, only progress. */
  publish(notice: ChangeNotice): void;
}

const MIME: Record<ReportFormat, string> = {
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};
const EXTENSION: Record<ReportFormat, string> = { markdown: 'md', html: 'html', pdf: 'pdf' };

export function reportFileName(title: string, at: number, format: ReportFormat, language: string): string {
  return `${safeFileStem(title)}-report-${language}-${isoDay(at)}.${EXTENSION[format]}`;
}

function progressNotice(jobId: string | undefined, stage: ExportProgress['stage'], done: number, total: number): ChangeNotice | null {
  return jobId ? { incidentIds: [], eventIds: [], progress: { jobId, stage, done, total } } : null;
}

/** Markdown or HTML, built here; a PDF is the HTML printed by Chromium, which only the process that owns a browser can do. */
export function exportReport(deps: ExportDeps, input: ParsedInput<'export.report'>): ChannelOutput<'export.report'> {
  if (input.format === 'pdf') {
    throw refuse('conflict', 'pdf_elsewhere', 'A PDF is printed by the console process: ask for HTML here and print it there.');
  }
  const view = viewIncident(deps.requireIncident(input.incidentId));
  if (!view) throw refuse('not_found', 'no_incident', `No incident with id ${input.incidentId}`);
  const events = deps.store.incidentEvents(input.incidentId);
  const now = deps.now();
  let lastShown = -1;
  const model = reportModel({
    view,
    events,
    policy: deps.policy(),
    now,
    language: input.language,
    timeZone: input.timeZone,
    onProgress: (done, total) => {
      // Only long incidents are worth a bar; a notice per few hundred rows is plenty.
      if (total < 1000 || done === lastShown) return;
      lastShown = done;
      const notice = progressNotice(input.jobId, 'building', done, total);
      if (notice) deps.publish(notice);
    },
  });
  const text = input.format === 'markdown' ? reportMarkdown(model) : reportHtml(model, input.layout);
  return {
    fileName: reportFileName(view.title, now, input.format, input.language),
    mimeType: MIME[input.format],
    base64: Buffer.from(text, 'utf8').toString('base64'),
  };
}

/** On the core's own connection, in one go; the host exports off the core instead (archive-export.ts). */
export function exportArchive(deps: ExportDeps, input: ParsedInput<'archive.export'>): ChannelOutput<'archive.export'> {
  return exportArchiveNow(deps.store.db, input, deps.now());
}

/** The archive's bytes, gunzipped when gzipped, never inflating past the size limit (a zip bomb stops there). */
export function archiveBytes(bytes: Buffer): Buffer {
  if (bytes.length > ARCHIVE_LIMITS.fileBytes)
    throw new ArchiveError('archive_too_big', `The archive file is larger than ${ARCHIVE_LIMITS.fileBytes / 1024 / 1024} MiB.`, {
      mib: ARCHIVE_LIMITS.fileBytes / 1024 / 1024,
    });
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: ARCHIVE_LIMITS.bytes });
  } catch (error) {
    const tooBig = error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw tooBig
      ? new ArchiveError('archive_too_big', `The archive is larger than ${ARCHIVE_LIMITS.bytes / 1024 / 1024} MiB once uncompressed.`, {
          mib: ARCHIVE_LIMITS.bytes / 1024 / 1024,
        })
      : new ArchiveError('archive_not_gzip', 'The file looks gzipped but cannot be uncompressed.');
  }
}

/** Events written per transaction by an import: a few tens of milliseconds, after which a note typed meanwhile is recorded. */
export const IMPORT_SLICE_EVENTS = 2000;

/**
 * Bring an archived incident into this console, a slice at a time: the generator yields between
 * slices, and the core worker records what people type meanwhile (a 20,000-event archive held the
 * core for seconds in one transaction). Everything is checked before anything is written, so a
 * refused archive changes nothing; events already here are skipped by id, so an import cut short
 * (the console closed or killed half-way) is completed by importing the same archive again.
 */
export function* importArchiveSteps(deps: ExportDeps, { base64 }: ParsedInput<'archive.import'>): Generator<void, ChannelOutput<'archive.import'>> {
  let parsed;
  try {
    const bytes = archiveBytes(Buffer.from(base64, 'base64'));
    yield;
    // Checked a slice at a time too: reading a 200,000-event file is seconds of work.
    parsed = yield* parseArchiveSteps(bytes, deps.now());
  } catch (error) {
    if (error instanceof ArchiveError) throw refuse('invalid_input', error.reason, error.message, error.params);
    throw error;
  }
  refuseRewrite(deps, parsed.incidentId, parsed.events);
  let imported = 0;
  for (let from = 0; from < parsed.events.length; from += IMPORT_SLICE_EVENTS) {
    // Causal order is kept across slices: the declaration goes in first, each event after what it follows.
    if (from > 0) yield;
    const events = parsed.events.slice(from, from + IMPORT_SLICE_EVENTS);
    const quarantine = new Map(events.flatMap((e) => (parsed.quarantine.has(e.id) ? [[e.id, parsed.quarantine.get(e.id)!] as const] : [])));
    imported += deps.ingest({ events, quarantine, refused: [] }).length;
  }
  const view = viewIncident(deps.store.incidentState(parsed.incidentId));
  if (!view) throw new ApiError({ code: 'internal', message: 'The archive was stored but its incident did not fold to a declaration.' });
  return {
    incidentId: parsed.incidentId,
    title: view.title,
    drill: view.drill,
    imported,
    alreadyPresent: parsed.events.length - imported,
  };
}

/** The whole import in one go (tests, tools, the command line): the same steps, run back to back. */
export function importArchive(deps: ExportDeps, input: ParsedInput<'archive.import'>): ChannelOutput<'archive.import'> {
  const steps = importArchiveSteps(deps, input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * An import never rewrites an incident this console holds: its id is printed in every report, so
 * a file naming it could carry a new declaration (title, commander…) that wins by its stamp. The
 * archive of an incident already here is accepted only when every declaration in it is one this
 * console already has (a teammate's copy of the same incident: its other events merge by id).
 */
function refuseRewrite(deps: ExportDeps, incidentId: string, events: readonly EventEnvelope[]): void {
  const here = viewIncident(deps.store.incidentState(incidentId));
  if (!here) return;
  const foreign = events.find((e) => e.kind === 'incident.declared' && !deps.store.hasEvent(e.id));
  if (!foreign) return;
  throw refuse(
    'conflict',
    'archive_rewrite',
    `This console already holds incident ${incidentId} ("${here.title}"), declared differently from this archive. ` +
      'The archive was not imported and nothing was changed: an import never rewrites an incident that is here.',
    { title: here.title },
  );
}

// ---------------------------------------------------------------------------------------------
// PDF: the self-contained HTML, printed by a Chromium the console can reach.

export interface PdfPrinter {
  print(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Where a Chromium-family browser usually lives; WARROOM_CHROMIUM names one anywhere else. */
const CHROMIUM_PATHS: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/usr/bin/microsoft-edge',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const explicit = env['WARROOM_CHROMIUM'];
  if (explicit) return existsSync(explicit) ? explicit : null;
  for (const candidate of CHROMIUM_PATHS[platform] ?? []) if (existsSync(candidate)) return candidate;
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of CHROMIUM_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

export const NO_CHROMIUM_MESSAGE =
  'PDF export prints the report with Chromium or Google Chrome, and neither was found on this computer. ' +
  'Install one (Debian/Ubuntu: sudo apt-get install chromium; macOS and Windows: Google Chrome), or set WARROOM_CHROMIUM to its path. ' +
  'Markdown and HTML exports work without it.';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** A browser kept warm between exports, closed when unused for this long. */
const IDLE_CLOSE_MS = 60_000;
const PRINT_OPTIONS = { format: 'A4', printBackground: true, preferCSSPageSize: true } as const;

type PlaywrightBrowser = Awaited<ReturnType<(typeof import('playwright-core'))['chromium']['launch']>>;
type PlaywrightPage = Awaited<ReturnType<PlaywrightBrowser['newPage']>>;

/**
 * Browser mode has no window of its own: it drives the system's Chromium through
 * playwright-core, offline, with every request the page might make refused.
 */
/** The steps of one print, for the bench's breakdown. */
export type PrintStep = 'launch' | 'page' | 'setContent' | 'pdf';

export function chromiumPdfPrinter(
  executable: () => string | null = findChromium,
  onStep: (step: PrintStep, ms: number) => void = () => undefined,
): PdfPrinter {
  let browser: Promise<PlaywrightBrowser> | null = null;
  /** The page prints are made in, kept open with the browser: a new context per export cost most of a second. */
  let warmPage: Promise<PlaywrightPage> | null = null;
  /** The last report being cleared from the warm page. */
  let clearing: Promise<void> = Promise.resolve();
  /** Prints take turns on the one page. */
  let queue: Promise<unknown> = Promise.resolve();
  let idle: ReturnType<typeof setTimeout> | null = null;
  const shut = async () => {
    const running = browser;
    browser = null;
    warmPage = null;
    if (running) await (await running.catch(() => null))?.close();
  };
  const openPage = async (launched: PlaywrightBrowser): Promise<PlaywrightPage> => {
    const context = await launched.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    return context.newPage();
  };
  const print = async (html: string): Promise<Buffer> => {
    const file = executable();
    if (!file) throw refuse('conflict', 'pdf_no_chromium', NO_CHROMIUM_MESSAGE);
    if (idle) clearTimeout(idle);
    let stepStart = performance.now();
    const step = (name: PrintStep) => {
      const now = performance.now();
      onStep(name, now - stepStart);
      stepStart = now;
    };
    const { chromium } = await import('playwright-core');
    browser ??= chromium.launch({ executablePath: file, headless: true, args: CHROMIUM_ARGS });
    let launched: PlaywrightBrowser;
    try {
      launched = await browser;
      step('launch');
    } catch (error) {
      browser = null;
      throw refuse(
        'internal',
        'pdf_failed',
        `Chromium (${file}) could not start to print the PDF: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
    try {
      // After the last report left the page (a page that failed to clear is replaced).
      await clearing;
      warmPage ??= openPage(launched);
      const opened = warmPage;
      const page = await opened;
      step('page');
      await page.setContent(html, { waitUntil: 'load' });
      step('setContent');
      const pdf = await page.pdf(PRINT_OPTIONS);
      step('pdf');
      // The report does not stay in the warm page's memory until the next export; the PDF is
      // handed over meanwhile, and the next print waits for the page to be empty.
      clearing = page.setContent('').catch(() => {
        if (warmPage === opened) warmPage = null;
      });
      return pdf;
    } catch (error) {
      // A page that failed once is not trusted with the next export.
      warmPage = null;
      throw error;
    } finally {
      idle = setTimeout(() => void shut(), IDLE_CLOSE_MS);
      idle.unref?.();
    }
  };
  return {
    print(html) {
      const turn = queue.then(() => print(html));
      queue = turn.catch(() => undefined);
      return turn;
    },
    async close() {
      if (idle) clearTimeout(idle);
      await shut();
    },
  };
}

/**
 * The PDF path of `export.report`, run where the printer lives (the main side of the core):
 * the worker builds the HTML, this prints it, with progress on the change stream.
 */
export async function printReport(
  input: unknown,
  buildHtml: (input: unknown) => Promise<ExportFile>,
  printer: PdfPrinter,
  publish: (notice: ChangeNotice) => void,
): Promise<ExportFile> {
  const request = (input ?? {}) as Record<string, unknown>;
  const html = await buildHtml({ ...request, format: 'html', layout: 'print' });
  const jobId = typeof request['jobId'] === 'string' ? request['jobId'] : undefined;
  const printing = progressNotice(jobId, 'printing', 0, 1);
  if (printing) publish(printing);
  const pdf = await printer.print(Buffer.from(html.base64, 'base64').toString('utf8'));
  const done = progressNotice(jobId, 'done', 1, 1);
  if (done) publish(done);
  return { fileName: html.fileName.replace(/\.html$/, '.pdf'), mimeType: MIME.pdf, base64: pdf.toString('base64') };
}
