import { summaryInputSchemaWith, type CallSummaryInput } from '../../contract/index.js';
import { ValidationError, parseOrThrow } from '../shared/validation.js';

/** The time a summary being checked is filed at (read by the one schema below during the parse). */
let checkedAt = 0;
/**
 * callSummaryInputSchema's rules, built once for every request: building a zod schema (and
 * its compiled parser) for each filed summary cost the router more CPU than filing it.
 */
const summaryInputSchema = summaryInputSchemaWith(() => checkedAt);

/** A filed summary's input: the schema's rules, and a category the configuration knows (all field errors at once). */
export function parseSummaryInput(body: unknown, now: number, categories: readonly { id: string }[]): CallSummaryInput {
  const fields: Record<string, string[]> = {};
  let input: CallSummaryInput | null = null;
  try {
    checkedAt = now;
    input = parseOrThrow(summaryInputSchema, body);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    Object.assign(fields, err.fields);
  }
  const categoryId = (body as { categoryId?: unknown } | null)?.categoryId;
  if (typeof categoryId === 'string' && categoryId !== '' && !categories.some((c) => c.id === categoryId)) {
    (fields.categoryId ??= []).push(`未知的咨询类别 ${categoryId}`);
  }
  if (Object.keys(fields).length > 0 || input === null) throw new ValidationError(fields);
  return input;
}
