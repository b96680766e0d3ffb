import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const demo = { VIGIE_DEMO: '1' };

describe('VIGIE_TRUST_PROXY', () => {
  it('takes a number of hops, or addresses, subnets and keywords', () => {
    expect(loadConfig(demo).VIGIE_TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ ...demo, VIGIE_TRUST_PROXY: '1' }).VIGIE_TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...demo, VIGIE_TRUST_PROXY: 'loopback, 10.0.0.0/8, 192.168.1.0/255.255.255.0, fd00::1' }).VIGIE_TRUST_PROXY).toBe('loopback, 10.0.0.0/8, 192.168.1.0/255.255.255.0, fd00::1');
  });

  it('refuses at start anything else, naming the entry', () => {
    expect(() => loadConfig({ ...demo, VIGIE_TRUST_PROXY: 'loopback, nginx' })).toThrow(/VIGIE_TRUST_PROXY: "nginx": a number of hops/);
    expect(() => loadConfig({ ...demo, VIGIE_TRUST_PROXY: '10.0.0.0/40' })).toThrow(/"10.0.0.0\/40"/);
  });
});
