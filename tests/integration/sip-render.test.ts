/**
 * Rendering sip-config/ for a console that is not on localhost: the WebSocket
 * listener becomes WSS with a generated self-signed certificate, and Kamailio
 * accepts the result (`kamailio -c`).
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { checkKamailioConfig, fillTemplate, renderSipConfig } from '../../server/src/sip/render.js';
import { addDirectRoute } from '../../bench/sip/stack.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-render-'));

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
});
