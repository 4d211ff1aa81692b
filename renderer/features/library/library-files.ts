import type { ExportFile } from '../../../shared/library/channels.js';

/**
 * Files in and out of the window, the same in Electron and in a browser: an export comes back
 * from the core as content and is saved as a download; a picked file is read here and sent as
 * base64, whatever it holds (an archive may be gzipped).
 */

export function saveFile(file: ExportFile): void {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; the next tick is safe to let go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Chunked, so a file of tens of megabytes never builds one giant argument list. */
export async function readFileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function readFileText(file: Blob): Promise<string> {
  return file.text();
}

/** The reader's own zone, so the report's times read like the console's. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
