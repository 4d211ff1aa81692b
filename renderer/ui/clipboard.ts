/**
 * Put text on the clipboard. The asynchronous Clipboard API is the way in browser mode; the
 * Electron window denies every permission request (electron/desktop/window.ts), clipboard writes
 * included, so there the copy falls back on the selection of a hidden field, which needs no
 * permission — only the key press or click that asked for it.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch (error) {
    if (!copyBySelection(text)) throw error;
  }
}

function copyBySelection(text: string): boolean {
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.style.position = 'fixed';
  field.style.opacity = '0';
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.append(field);
  field.select();
  try {
    return document.execCommand('copy');
  } finally {
    field.remove();
    previous?.focus();
  }
}
