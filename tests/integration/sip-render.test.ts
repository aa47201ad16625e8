/**
 * Rendering sip-config/ for a console that is not on localhost: the WebSocket
 * listener becomes WSS with a generated self-signed certificate, and Kamailio
 * accepts the result (`kamailio -c`). Kamailio's template is in parts that render
 * into one config.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import {
  checkKamailioConfig,
  fillTemplate,
  KAMAILIO_TEMPLATE_PARTS,
  readKamailioTemplate,
  renderSipConfig,
} from '../../server/src/sip/render.js';
import { addDirectRoute } from '../../bench/sip/stack.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-render-'));
const SIP_CONFIG = path.resolve(import.meta.dirname, '../../sip-config');

describe('rendering the SIP configuration', () => {
  it('on loopback, the softphones use plain ws and no certificate is made', () => {
    const dir = tmp();
    const r = renderSipConfig(loadConfig({ SIP_RUN_DIR: dir }), 'secret-1');
    expect(r).toMatchObject({ tls: false, wsUrl: 'ws://127.0.0.1:8088' });
    expect(fs.existsSync(path.join(dir, 'tls-cert.pem'))).toBe(false);
    expect(fs.readFileSync(r.kamailioCfg, 'utf8')).toMatch(/^listen=tcp:127\.0\.0\.1:8088$/m);
    expect(fs.statSync(r.kamailioCfg).mode & 0o777).toBe(0o600); // it holds the secret
    expect(checkKamailioConfig(r.kamailioCfg)).toBeNull();
  });

  it('on another address, it listens with TLS on a self-signed certificate for that address, and Kamailio accepts it', () => {
    const dir = tmp();
    const r = renderSipConfig(loadConfig({ SIP_RUN_DIR: dir, SIP_WS_ADDR: '127.0.0.1:8443' }), 'secret-2');
    expect(r.tls).toBe(false);
    const remote = renderSipConfig(loadConfig({ SIP_RUN_DIR: dir, SIP_WS_ADDR: '10.20.30.40:8443' }), 'secret-2');
    expect(remote).toMatchObject({ tls: true, wsUrl: 'wss://10.20.30.40:8443' });
    const cert = new X509Certificate(fs.readFileSync(path.join(dir, 'tls-cert.pem')));
    expect(cert.subjectAltName).toContain('IP Address:10.20.30.40');
    expect(fs.statSync(path.join(dir, 'tls-key.pem')).mode & 0o777).toBe(0o600);
    const cfg = fs.readFileSync(remote.kamailioCfg, 'utf8');
    expect(cfg).toMatch(/^listen=tls:10\.20\.30\.40:8443$/m);
    expect(cfg).toMatch(/^#!define WITH_TLS$/m);
    expect(checkKamailioConfig(remote.kamailioCfg)).toBeNull();
  });

  it('a placeholder without a value is an error that names it, never an empty string', () => {
    expect(() => fillTemplate('listen={{TRUNK_LISTEN}} {{NOPE}}', { TRUNK_LISTEN: 'udp:1.2.3.4:5060' }, 't.tmpl')).toThrow(
      't.tmpl: no value for NOPE',
    );
  });

  it("the SIP latency benchmark's direct route still fits the rendered configuration, and Kamailio accepts it", () => {
    const dir = tmp();
    const r = renderSipConfig(loadConfig({ SIP_RUN_DIR: dir }), 'secret-3');
    const withDirect = addDirectRoute(fs.readFileSync(r.kamailioCfg, 'utf8'), {
      number: '99999',
      seat: 's01',
      domain: '12348.local',
      trunkSources: '127.0.0.1/32',
    });
    expect(withDirect.match(/route\(BENCH_DIRECT\);/g)).toHaveLength(1);
    const file = path.join(dir, 'bench-kamailio.cfg');
    fs.writeFileSync(file, withDirect, { mode: 0o600 });
    expect(checkKamailioConfig(file)).toBeNull();
  });

  it("Kamailio's template parts are the files in sip-config/, each under 500 lines, and render together into a config Kamailio accepts", () => {
    const onDisk = fs.readdirSync(SIP_CONFIG).filter((f) => f.startsWith('kamailio') && f.endsWith('.tmpl'));
    expect(onDisk.sort()).toEqual([...KAMAILIO_TEMPLATE_PARTS].sort());
    for (const part of KAMAILIO_TEMPLATE_PARTS) {
      const lines = fs.readFileSync(path.join(SIP_CONFIG, part), 'utf8').split('\n').length;
      expect({ part, under500: lines < 500 }).toEqual({ part, under500: true });
    }
    const r = renderSipConfig(loadConfig({ SIP_RUN_DIR: tmp() }), 'secret-4');
    expect(fs.readFileSync(r.kamailioCfg, 'utf8')).toMatch(/^#!KAMAILIO\n/); // no part header in it
    expect(fs.readFileSync(r.kamailioCfg, 'utf8')).not.toContain('#%');
    expect(checkKamailioConfig(r.kamailioCfg)).toBeNull();
  });

  it('each line of the joined template names the part file and line it comes from', () => {
    const t = readKamailioTemplate(SIP_CONFIG);
    const lines = t.text.split('\n');
    expect(lines.at(-1)).toBe(''); // the text ends in one newline
    expect(t.origin).toHaveLength(lines.length - 1);
    const partLines = new Map(t.parts.map((p) => [p.file, fs.readFileSync(p.file, 'utf8').split('\n')]));
    const mismatches = t.origin.filter((o, i) => partLines.get(o.file)?.[o.line - 1] !== lines[i]);
    expect(mismatches).toEqual([]);
    expect(new Set(t.origin.map((o) => path.basename(o.file)))).toEqual(new Set(KAMAILIO_TEMPLATE_PARTS));
    // one blank line between parts, none doubled where they meet
    expect(t.text).toBe(t.parts.map((p) => p.body).join('\n'));
    for (const p of t.parts) expect(p.body).toMatch(/[^\n]\n$/);
  });

  it('a part renders the same whatever blank lines an editor leaves at its end; a part without its header is refused', () => {
    const tpl = tmp();
    fs.cpSync(SIP_CONFIG, tpl, { recursive: true });
    const before = readKamailioTemplate(tpl).text;
    const second = path.join(tpl, KAMAILIO_TEMPLATE_PARTS[1]);
    const last = path.join(tpl, KAMAILIO_TEMPLATE_PARTS[KAMAILIO_TEMPLATE_PARTS.length - 1]!);
    fs.appendFileSync(second, '\n\n');
    fs.writeFileSync(last, fs.readFileSync(last, 'utf8').trimEnd());
    expect(readKamailioTemplate(tpl).text).toBe(before);
    fs.writeFileSync(second, fs.readFileSync(second, 'utf8').replace(/^(#%.*\n)+\n/, ''));
    expect(() => readKamailioTemplate(tpl)).toThrow(`${second}: a template part opens with its #% header lines, then one blank line`);
    fs.rmSync(second);
    expect(() => renderSipConfig(loadConfig({ SIP_RUN_DIR: tmp() }), 'secret-5', { templateDir: tpl })).toThrow(`${second} is missing`);
  });
});
