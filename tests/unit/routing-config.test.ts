import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_CONFIG, RoutingConfigSchema, policyFor } from '../../server/src/domain/policy.js';
import { RoutingConfigRepository } from '../../server/src/features/routing-config/routing-config-repository.js';
import { openDatabase } from '../../server/src/store/db.js';

/** The routing configuration as stored before issue 10 (no county sharing, no pairing keys). */
function storedBeforeIssue10(): Record<string, unknown> {
  const { countySharing: _sharing, pairing: _pairing, ...rest } = DEFAULT_ROUTING_CONFIG;
  const { countyAfterS: _after, countyWithoutCitySpecialist: _without, ...policy } = rest.defaultPolicy;
  return { ...rest, defaultPolicy: policy, categoryPolicies: { criminal: { maxWaitS: 120 } } };
}

describe('routing configuration keys added by issue 10', () => {
  it('when a configuration stored before them is read, should parse with the defaults', () => {
    const cfg = RoutingConfigSchema.parse(storedBeforeIssue10());

    expect(cfg.defaultPolicy).toMatchObject({ cityAfterS: 60, countyAfterS: 60, countyWithoutCitySpecialist: true });
    expect(cfg.countySharing).toEqual({});
    expect(cfg.pairing).toEqual({ fairnessBoundS: 120 });
  });

  it("when a category overrides some keys, should not fill the others in (the default policy's still apply)", () => {
    const cfg = RoutingConfigSchema.parse({
      ...DEFAULT_ROUTING_CONFIG,
      defaultPolicy: { ...DEFAULT_ROUTING_CONFIG.defaultPolicy, countyAfterS: 30 },
      categoryPolicies: { criminal: { maxWaitS: 120 } },
    });

    expect(cfg.categoryPolicies.criminal).toEqual({ maxWaitS: 120 });
    expect(policyFor(cfg, 'criminal')).toMatchObject({ maxWaitS: 120, countyAfterS: 30 });
  });

  it('when countySharing names a centre that is not a county, should refuse the configuration', () => {
    const r = RoutingConfigSchema.safeParse({
      ...DEFAULT_ROUTING_CONFIG,
      countySharing: { city: { sendsToCity: true, takesCityCalls: true } },
    });

    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['countySharing', 'city'] });
  });

  it('when a county lists one direction only, should default the other to on', () => {
    const cfg = RoutingConfigSchema.parse({ ...DEFAULT_ROUTING_CONFIG, countySharing: { xishan: { takesCityCalls: false } } });

    expect(cfg.countySharing.xishan).toEqual({ sendsToCity: true, takesCityCalls: false });
  });

  it('when the database holds a configuration stored before these keys, the repository should read it with the defaults', () => {
    const db = openDatabase(':memory:');
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run(
      'routing_config',
      JSON.stringify(storedBeforeIssue10()),
      0,
    );

    const cfg = new RoutingConfigRepository(db).get();

    expect(cfg?.defaultPolicy.countyAfterS).toBe(60);
    expect(cfg?.pairing.fairnessBoundS).toBe(120);
    db.close();
  });
});
