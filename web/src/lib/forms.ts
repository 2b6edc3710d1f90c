import type { FormInstance } from 'antd';
import type { ZodType } from 'zod';
import { ApiError, errorMessage } from '../api/client';

/**
 * Puts a server validation answer (`fields`: field → Chinese message) onto the matching form items
 * and returns the message to show for whatever did not match an item ("" when every field matched).
 */
export function applyServerErrors(form: FormInstance, e: unknown): string {
  if (!(e instanceof ApiError) || Object.keys(e.fields).length === 0) return errorMessage(e);
  // Registered fields, including the ones still empty (getFieldsValue(true) leaves those out).
  const known = new Set([...Object.keys(form.getFieldsValue() as object), ...Object.keys(form.getFieldsValue(true) as object)]);
  const onItems: { name: string; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const [key, msg] of Object.entries(e.fields)) {
    const top = key.split('.')[0] ?? key;
    if (known.has(top)) onItems.push({ name: top, errors: [msg] });
    else rest.push(msg);
  }
  if (onItems.length) {
    form.setFields(onItems);
    form.scrollToField(onItems[0]!.name, { block: 'center', behavior: 'smooth' });
  }
  return rest.length ? rest.join('；') : onItems.length ? '' : e.message;
}

/**
 * Checks `values` with a contract schema before sending (same Chinese messages as the server) and
 * puts the issues on the form items. Returns the parsed value, or null when something was wrong.
 */
export function validateWith<T>(form: FormInstance, schema: ZodType<T>, values: unknown): T | null {
  const r = schema.safeParse(values);
  if (r.success) return r.data;
  const byField = new Map<string, string>();
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? '');
    if (key && !byField.has(key)) byField.set(key, issue.message);
  }
  form.setFields([...byField].map(([name, msg]) => ({ name, errors: [msg] })));
  return null;
}

/** Empty strings → null, so optional fields are cleared rather than sent as "". */
export function blankToNull<T extends object>(v: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' && x.trim() === '' ? null : x;
  return out as T;
}
