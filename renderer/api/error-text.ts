import { ApiError, type ApiErrorBody, type ErrorParams } from '../../shared/api/api.js';
import { i18n } from '../i18n/index.js';

/**
 * What a person reads when the console refuses something: built from the error's stable codes
 * (shared/api/api.ts) in the language of the UI — never the core's English message, never zod's
 * wording. A refusal with a known reason says that reason; a refused input names each field
 * and what is wrong with it; anything else says what kind of failure it was.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return tr('record.errors.unreachable');
  const { body } = error;
  if (body.reason && has(`record.errors.reason.${body.reason}`)) return tr(`record.errors.reason.${body.reason}`, body.params);
  if (body.issues?.length) return body.issues.map((issue) => issueText(issue)).join(' · ');
  return tr(`record.errors.code.${body.code}`);
}

/** One refused field: "Title: is empty", in the UI's language. */
export function issueText(issue: NonNullable<ApiErrorBody['issues']>[number]): string {
  return tr('record.errors.fieldProblem', { field: fieldLabel(issue.path), problem: problemText(issue.code, issue.params) });
}

/** What is wrong with a field, without its name (for an error shown beside the field itself). */
export function problemText(code: string | undefined, params: ErrorParams | undefined): string {
  const reason = typeof params?.['reason'] === 'string' ? params['reason'] : null;
  if (code === 'custom' && reason && has(`record.errors.custom.${reason}`)) return tr(`record.errors.custom.${reason}`, params);
  if ((code === 'too_small' || code === 'too_big') && params) {
    const origin = params['origin'] === 'string' || params['origin'] === 'array' ? params['origin'] : 'number';
    // "Too small" for a text of at least one character means it was left empty.
    if (code === 'too_small' && origin === 'string' && params['limit'] === 1) return tr('record.errors.issue.empty');
    return tr(`record.errors.issue.${code}_${origin}`, { limit: params['limit'] ?? '' });
  }
  const format = typeof params?.['format'] === 'string' ? params['format'] : null;
  if (code === 'invalid_format' && format && has(`record.errors.issue.invalid_format_${format}`)) return tr(`record.errors.issue.invalid_format_${format}`);
  return tr(code && has(`record.errors.issue.${code}`) ? `record.errors.issue.${code}` : 'record.errors.issue.other');
}

/** A field as the forms name it: the last named step of its path ("zones.1" is a zone). */
export function fieldLabel(path: string): string {
  const name = [...path.split('.')].reverse().find((step) => !/^\d+$/.test(step)) ?? path;
  return has(`record.errors.field.${name}`) ? tr(`record.errors.field.${name}`) : name;
}

const has = (key: string) => i18n.exists(key);
// The keys are built from codes at run time; `has` checks them against the catalogue first.
const tr = (key: string, params?: ErrorParams) => i18n.t(key as never, (params ?? {}) as never) as unknown as string;
