import { describe, expect, it } from 'vitest';
import { allowedRoutes, homeRoute, parseHash, resolveRoute, routeHash } from '../../../client/src/shared/routes';
import { user } from '../support/fixtures';

describe('role routing', () => {
  it('when a seat logs in, should land on the seat page', () => {
    expect(homeRoute('seat')).toBe('seat');
  });

  it.each(['supervisor', 'manager', 'admin'] as const)('when %s logs in, should land on the monitor page', (role) => {
    expect(homeRoute(role)).toBe('monitor');
  });

  it('when a supervisor asks for reports, should stay on the monitor page', () => {
    expect(resolveRoute(user('supervisor'), 'reports')).toBe('monitor');
  });

  it('when a manager asks for reports, should show reports', () => {
    expect(resolveRoute(user('manager'), 'reports')).toBe('reports');
  });

  it('when a seat asks for the monitor page, should get the seat page', () => {
    expect(resolveRoute(user('seat'), 'monitor')).toBe('seat');
  });

  it('when nobody is logged in, should show login whatever was asked', () => {
    expect(resolveRoute(null, 'monitor')).toBe('login');
  });

  it('when manager or admin, should offer the monitor and report tabs; a supervisor no reports', () => {
    expect(allowedRoutes('manager').slice(0, 3)).toEqual(['monitor', 'handover', 'reports']);
    expect(allowedRoutes('admin').slice(0, 3)).toEqual(['monitor', 'handover', 'reports']);
    expect(allowedRoutes('supervisor')[0]).toBe('monitor');
    expect(allowedRoutes('supervisor')).not.toContain('reports');
  });

  it('when the hash names a page, should parse it and write it back the same', () => {
    expect(parseHash('#/reports')).toBe('reports');
    expect(routeHash('reports')).toBe('#/reports');
  });

  it('when the hash is unknown, should parse to null', () => {
    expect(parseHash('#/nowhere')).toBeNull();
    expect(parseHash('')).toBeNull();
  });

  it("should give each role exactly the pages the contract's permission table allows, home first", () => {
    expect(allowedRoutes('seat')).toEqual(['seat', 'calls', 'knowledge', 'visits', 'my-qc']);
    expect(allowedRoutes('supervisor')).toEqual(['monitor', 'handover', 'knowledge', 'visits', 'qc', 'recordings']);
    expect(allowedRoutes('manager')).toEqual(['monitor', 'handover', 'reports', 'knowledge', 'visits', 'qc', 'recordings']);
    expect(allowedRoutes('admin')).toEqual([
      'monitor',
      'handover',
      'reports',
      'knowledge',
      'visits',
      'qc',
      'recordings',
      'admin',
      'users',
      'audit',
    ]);
  });
});
