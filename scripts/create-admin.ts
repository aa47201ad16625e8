/**
 * npm run user:create-admin: creates an administrator account in the database DB_PATH names
 * (the first one of a production deployment). Asks for the username, the name shown, and the
 * password twice (hidden on a terminal); reads the same four lines from stdin when it is not a
 * terminal. The password must meet the policy; the account is in the audit log.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { loadConfig } from '../server/src/config.js';
import { SystemClock } from '../server/src/domain/clock.js';
import { AuditRepository } from '../server/src/features/audit/audit-repository.js';
import { AuditService } from '../server/src/features/audit/audit-service.js';
import { AccountService } from '../server/src/features/auth/accounts-service.js';
import { UserRepository } from '../server/src/features/auth/user-repository.js';
import { immediateTransaction, openDatabase } from '../server/src/store/db.js';

const USERNAME = /^[A-Za-z0-9._-]{3,32}$/;

/** Reads answers: prompts on a terminal (hidden for passwords), else the next line of stdin. */
function asker(): { ask(q: string, hidden?: boolean): Promise<string>; close(): void } {
  if (process.stdin.isTTY) {
    let muted = false;
    const output = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (!muted) process.stdout.write(chunk);
        cb();
      },
    });
    const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
    return {
      ask: (q, hidden = false) =>
        new Promise((resolve) => {
          process.stdout.write(q);
          muted = hidden;
          rl.question('', (a) => {
            muted = false;
            if (hidden) process.stdout.write('\n');
            resolve(a);
          });
        }),
      close: () => rl.close(),
    };
  }
  const rl = readline.createInterface({ input: process.stdin });
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  let ended = false;
  rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l)));
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w('');
  });
  return {
    ask: (q) => {
      process.stdout.write(q + '\n');
      if (lines.length) return Promise.resolve(lines.shift()!);
      if (ended) return Promise.resolve('');
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => rl.close(),
  };
}

function fail(message: string): never {
  console.error(`未创建管理员: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDatabase(config.DB_PATH);
  const accounts = new AccountService(new UserRepository(db));
  const audit = new AuditService(db, new AuditRepository(db), SystemClock);
  const io = asker();
  try {
    const username = (await io.ask('用户名 (3–32 位字母、数字、._-): ')).trim();
    if (!USERNAME.test(username)) fail('用户名须为 3–32 位字母、数字、点、下划线或连字符');
    if (accounts.byUsername(username)) fail(`用户名 ${username} 已存在`);
    const displayName = (await io.ask('姓名: ')).trim() || '系统管理员';
    const password = await io.ask('密码: ', true);
    const problems = accounts.problems(password, username);
    if (problems.length) fail(problems.join(';'));
    if ((await io.ask('再次输入密码: ', true)) !== password) fail('两次输入的密码不一致');
    const passwordHash = await accounts.hash(password);
    const id = immediateTransaction(db, () => {
      const id = accounts.create({ username, displayName, role: 'admin', seatId: null, passwordHash }, SystemClock.now());
      audit.record({
        actor: { id: null, username: 'user:create-admin', role: 'system' },
        action: 'user.create',
        target: `user:${id}`,
        after: { username, displayName, role: 'admin' },
      });
      return id;
    });
    console.log(`已创建系统管理员 ${username} (编号 ${id}),数据库 ${config.DB_PATH}`);
  } finally {
    io.close();
    db.close();
  }
}

void main();
