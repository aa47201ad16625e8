import crypto from 'node:crypto';

/**
 * scrypt password hashes (memory-hard, built into Node: no native addon).
 * Format: scrypt$N$r$p$salt$hash, base64url parts, so parameters can be raised later.
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(password, salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

/** A hash of a random password, checked against when the user does not exist, so timing does not tell. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummy;
}

/** Passwords of the demo database (README): never acceptable outside demo mode, never chosen again. */
export const DEMO_PASSWORDS: readonly string[] = ['demo12348'];

/**
 * Known-weak passwords (common leaked passwords and obvious hotline words), compared after
 * lower-casing. Short on purpose: the length and kinds rules already refuse most weak ones.
 */
const WEAK_PASSWORDS = new Set([
  'password123',
  'password1!',
  'passw0rd123',
  'p@ssw0rd123',
  'p@ssword123',
  'admin12345',
  'admin@12345',
  'admin123456',
  'administrator1',
  'qwerty12345',
  'qwe123!@#qwe',
  '1qaz2wsx3edc',
  '1qaz@wsx3edc',
  'abc123456!',
  'abcd1234!@',
  'a123456789',
  'aa123456789',
  'iloveyou123',
  'welcome123!',
  'changeme123',
  'hotline12348',
  'hotline@12348',
  '12348@hotline',
  'sfj12348!',
  'zaq12wsxcde',
]);

export const PASSWORD_MIN_LENGTH = 10;

/**
 * The password policy (in the spirit of 等保 2.0 level 3, identity authentication): at least
 * 10 characters of at least 3 kinds (lower case, upper case, digits, symbols), not the
 * username (nor containing it), not a known-weak or demo password. Returns what is wrong, in
 * sentences the user reads; empty when the password is acceptable.
 */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) problems.push(`密码至少 ${PASSWORD_MIN_LENGTH} 个字符`);
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 3) problems.push('密码须包含大写字母、小写字母、数字、符号中的至少三类');
  const lower = password.toLowerCase();
  const user = username.trim().toLowerCase();
  if (user && lower.includes(user)) problems.push('密码不能包含用户名');
  if (DEMO_PASSWORDS.some((d) => lower.includes(d))) problems.push('不能使用演示密码');
  else if (WEAK_PASSWORDS.has(lower)) problems.push('该密码过于常见,请换一个');
  return problems;
}

/** Whether a stored hash is that of a demo password (checked at a production start). */
export async function isDemoPasswordHash(stored: string): Promise<boolean> {
  for (const d of DEMO_PASSWORDS) if (await verifyPassword(d, stored)) return true;
  return false;
}
