/**
 * The default branch of an exhaustive switch: a compile error when a case is missing, a throw if one
 * slips through at run time. One definition for the server and the client (it imports nothing, like
 * the rest of the vocabulary).
 */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(x)}`);
}
