import type { AccountService } from '../auth/accounts-service.js';

/**
 * Why a production start must not go on, or null: no account yet (create the first
 * administrator with `npm run user:create-admin`), or an account whose password is still a demo
 * password (the demo accounts' passwords are public).
 */
export async function productionStartProblem(accounts: AccountService): Promise<string | null> {
  if (accounts.count() === 0) {
    return 'HOTLINE_MODE=production: there is no account yet. Create the first administrator with `npm run user:create-admin`, then start again.';
  }
  const demo = await accounts.withDemoPassword();
  if (demo.length === 0) return null;
  const names = demo.map((u) => u.username);
  const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
  return (
    `HOTLINE_MODE=production refuses to start: ${demo.length} account(s) still have a demo password (${shown}). ` +
    'Use a database without the demo accounts (create the first administrator with `npm run user:create-admin`), ' +
    'or disable those accounts or reset their passwords in 用户管理 while in demo mode.'
  );
}
