import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alert-fixture.ts';
import { allowedActions } from './allowed-actions.ts';

describe('allowedActions', () => {
  it('offers every decision on an open alert', () => {
    expect(allowedActions(makeAlert({ status: 'open' }), 'operator')).toEqual({ ack: true, resolve: true, dismiss: true, reopen: false });
  });

  it('does not acknowledge twice', () => {
    expect(allowedActions(makeAlert({ status: 'acknowledged' }), 'supervisor')).toEqual({
      ack: false,
      resolve: true,
      dismiss: true,
      reopen: false,
    });
  });

  it('offers only reopening on a closed alert, nothing to a wall display', () => {
    const none = { ack: false, resolve: false, dismiss: false, reopen: false };
    expect(allowedActions(makeAlert({ status: 'resolved' }), 'admin')).toEqual({ ...none, reopen: true });
    expect(allowedActions(makeAlert({ status: 'dismissed' }), 'operator')).toEqual({ ...none, reopen: true });
    expect(allowedActions(makeAlert({ status: 'open' }), 'wall')).toEqual(none);
    expect(allowedActions(makeAlert({ status: 'dismissed' }), 'wall')).toEqual(none);
  });
});
