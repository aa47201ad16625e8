import { describe, expect, it } from 'vitest';
import { asa, erlangB, erlangC, erlangPrediction, requiredAgents, serviceLevel } from '../../server/src/domain/stats/erlang.js';

// Reference values computed independently with the closed-form sums
// (A^k/k!, exact rational / 80-digit decimal arithmetic in Python).
describe('Erlang C', () => {
  it('when A = 10 and N = 12, should give P_w ≈ 0.4494', () => {
    expect(erlangC(12, 10)).toBeCloseTo(0.449388224, 8);
  });

  it('when the case is a textbook one, should match the closed form', () => {
    expect(erlangC(11, 10)).toBeCloseTo(0.682118205, 8);
    expect(erlangC(10, 8)).toBeCloseTo(0.409180151, 8);
    expect(erlangC(30, 25)).toBeCloseTo(0.249893167, 8);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12); // M/M/1: P_w = ρ
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
  });

  it('when there are thousands of seats, should stay numerically stable', () => {
    expect(erlangC(1000, 950)).toBeCloseTo(0.0682534154, 8);
    expect(erlangC(5000, 4900)).toBeCloseTo(0.0999378772, 8);
  });

  it('when 10 Erlangs are served by 13 or 14 seats, should give the textbook service level in 20 s and ASA', () => {
    // AHT 180 s, 200 calls/hour: 13 seats reach 79.6 %, 14 seats 88.8 % in 20 s.
    expect(serviceLevel(13, 10, 20, 180)).toBeCloseTo(0.795594788, 6);
    expect(serviceLevel(14, 10, 20, 180)).toBeCloseTo(0.888350019, 6);
    expect(asa(12, 10, 180)).toBeCloseTo(40.44494, 4);
    expect(requiredAgents(200, 180, 20, 0.8)).toBe(14);
  });

  it('when seats are not more than the traffic, should report an unstable queue', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(serviceLevel(10, 12, 20, 180)).toBe(0);
    expect(asa(10, 12, 180)).toBe(Infinity);
    expect(erlangPrediction(10, 240, 180, 20).asaSeconds).toBeNull();
  });

  it('when there is no traffic, should never wait', () => {
    expect(erlangC(3, 0)).toBe(0);
    expect(serviceLevel(3, 0, 0, 60)).toBe(1);
  });

  it('when given a fractional seat count, should refuse it', () => {
    expect(() => erlangC(2.5, 1)).toThrow(RangeError);
  });
});
