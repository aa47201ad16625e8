/**
 * The test stacks' port picker (tests/support/processes.ts) claims each port across the parallel
 * test processes, so two files starting stacks at once never hand the same port to two daemons
 * (rtpengine's NG port was lost that way in a CI run).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimPort } from '../support/processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A child process that claims `port` and stays alive until its stdin closes. */
function otherClaimant(port: number) {
  const code = `import { claimPort } from './tests/support/processes.ts';
console.log(claimPort(${port}) ? 'claimed' : 'refused');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const said = new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { said, end: () => (child.stdin.end(), exited), kill: () => (child.kill('SIGKILL'), exited) };
}

describe('port claims across test processes', () => {
  it('a port another live process claimed is refused, and is free again once it exits', async () => {
    const port = 15_900 + Math.floor(Math.random() * 90);
    const other = otherClaimant(port);
    expect(await other.said).toBe('claimed');
    expect(claimPort(port)).toBe(false);
    await other.end();
    expect(claimPort(port)).toBe(true);
    // Its own claim does not stop this process from picking the port again later.
    expect(claimPort(port)).toBe(true);
  }, 20_000);

  it('the claim of a process killed before it could clean up is taken over', async () => {
    const port = 15_900 + Math.floor(Math.random() * 90);
    const other = otherClaimant(port);
    expect(await other.said).toBe('claimed');
    expect(claimPort(port)).toBe(false);
    await other.kill();
    expect(claimPort(port)).toBe(true);
  }, 20_000);
});
