import fs from 'node:fs';
import { z } from 'zod';
import { RoutingConfigSchema, type RoutingConfig } from './domain/policy.js';

/** The server's settings: one schema over the environment, parsed once at start. */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const EnvSchema = z.object({
  PORT: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DB_PATH: z.string().min(1).default('data/hotline.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Optional JSON file with a routing configuration that replaces the stored one at start. */
  ROUTING_CONFIG_FILE: z.string().optional(),
  /** Create the demo centres, seats and accounts when the database is empty. */
  DEMO_SEED: bool.default(true),
  /** Secure cookies (set when the console is served over https). */
  COOKIE_SECURE: bool.default(false),
  SESSION_HOURS: z.coerce.number().min(1).max(24 * 14).default(12),
  /** A seat whose console disconnected goes offline after this many seconds without reconnecting. */
  SEAT_DISCONNECT_GRACE_S: z.coerce.number().min(0).max(3600).default(30),
  /** Serve the built client from this folder (if it exists). */
  CLIENT_DIST: z.string().default('client/dist'),
});

export type ServerConfig = z.infer<typeof EnvSchema> & { routingOverride: RoutingConfig | null };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describe(issues: readonly z.core.$ZodIssue[], source: Record<string, unknown>, prefix = ''): string {
  return issues
    .map((i) => {
      const key = prefix + i.path.map(String).join('.');
      const got = i.path.length === 1 && !prefix ? source[String(i.path[0])] : undefined;
      return `${key}: ${i.message}${got !== undefined ? ` (got ${JSON.stringify(got)})` : ''}`;
    })
    .join('; ');
}

/** Parses the environment; throws ConfigError with a sentence that names each bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const known = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = EnvSchema.safeParse(known);
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${describe(parsed.error.issues, known)}.`);
  let routingOverride: RoutingConfig | null = null;
  const file = parsed.data.ROUTING_CONFIG_FILE;
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`Invalid configuration: ROUTING_CONFIG_FILE: cannot read ${file} as JSON (${(err as Error).message}).`);
    }
    const r = RoutingConfigSchema.safeParse(raw);
    if (!r.success) {
      throw new ConfigError(`Invalid configuration: ROUTING_CONFIG_FILE ${file}: ${describe(r.error.issues, {}, '')}.`);
    }
    routingOverride = r.data;
  }
  return { ...parsed.data, routingOverride };
}
