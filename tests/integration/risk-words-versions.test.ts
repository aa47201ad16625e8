/**
 * Two duty managers editing the risk-word watch list (风险词表) at once: the page saves with the
 * fingerprint of the list it loaded, so a save from a page loaded before the other manager's save
 * is refused in zh-CN instead of dropping the word the other one added (a dropped 自杀 or 跳楼 is
 * a hit nobody is told of).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { configVersion, type TrendsView } from '../../server/src/contract/index.js';
import { login } from '../support/server.js';
import { api, data, error, harness } from './support-summaries.js';

describe('the risk-word list saved by two managers', () => {
  const h = harness();
  beforeAll(async () => {
    h.cookies.manager = await login(h.srv.url, 'manager');
    h.cookies.manager2 = await login(h.srv.url, 'manager'); // another browser
  });
  const loaded = async (user: string) =>
    data(await api<TrendsView>(h, 'GET', '/api/reports/trends?from=2026-11-01&to=2026-11-23', user)).riskWords;

  it('the stale save is refused, the first one stays; reloaded, the second goes through', async () => {
    const a = await loaded('manager');
    const b = await loaded('manager2');
    const saved = await api<string[]>(h, 'PUT', `/api/reports/risk-words?version=${configVersion(a)}`, 'manager', {
      words: [...a, '跳楼未遂'],
    });
    expect(data(saved)).toContain('跳楼未遂');
    const stale = await api(h, 'PUT', `/api/reports/risk-words?version=${configVersion(b)}`, 'manager2', { words: [...b, '爆炸物'] });
    expect(stale.status).toBe(400);
    expect(error(stale).fields?.version?.[0]).toMatch(/^风险词表已被他人修改,您的修改尚未保存/);
    expect(await loaded('manager2')).toContain('跳楼未遂');
    const fresh = await loaded('manager2');
    const both = data(
      await api<string[]>(h, 'PUT', `/api/reports/risk-words?version=${configVersion(fresh)}`, 'manager2', { words: [...fresh, '爆炸物'] }),
    );
    expect(both).toEqual(expect.arrayContaining(['跳楼未遂', '爆炸物']));
  });
});
