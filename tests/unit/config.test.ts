import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.js';

const error = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return null;
};

describe('telephony settings', () => {
  it('the defaults describe a product on one machine: trunk on 5060, softphones on ws 8088, control ports on loopback', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      TELEPHONY: 'none',
      SIP_TRUNK_ADDR: '127.0.0.1:5060',
      SIP_WS_ADDR: '127.0.0.1:8088',
      EVAPI_ADDR: '127.0.0.1:8448',
      SIP_DOMAIN: '12348.local',
      SIP_MAX_BRANCHES: 30,
    });
  });

  it.each(['EVAPI_ADDR', 'RTPENGINE_NG_ADDR', 'DTMF_LOG_ADDR'])('%s may not listen beyond loopback', (key) => {
    expect(error({ [key]: '0.0.0.0:9000' })).toMatch(new RegExp(`${key}: control ports listen on loopback only`));
  });

  it('a SIP domain JsSIP would refuse (last label all digits) is named with an example', () => {
    expect(error({ SIP_DOMAIN: 'hotline.12348' })).toMatch(/SIP_DOMAIN: .*e\.g\. 12348\.local/);
  });

  it('addresses must be host:port and trunk sources CIDRs', () => {
    expect(error({ SIP_TRUNK_ADDR: '5060' })).toMatch(/SIP_TRUNK_ADDR: must be host:port/);
    expect(error({ SIP_TRUNK_SOURCES: '10.0.0.0/8, example.com' })).toMatch(/SIP_TRUNK_SOURCES: must be IPv4 addresses or CIDRs/);
    expect(loadConfig({ SIP_TRUNK_SOURCES: '10.0.0.0/8, 192.168.1.7' }).SIP_TRUNK_SOURCES).toBe('10.0.0.0/8, 192.168.1.7');
  });

  it('credentials live at most a shift (12 hours)', () => {
    expect(error({ SIP_CREDENTIAL_HOURS: '24' })).toMatch(/SIP_CREDENTIAL_HOURS/);
  });
});
