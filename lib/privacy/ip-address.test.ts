import { describe, expect, it } from 'vitest';
import { truncateIp } from './ip-address.js';

describe('truncateIp', () => {
  it.each([
    ['192.168.1.1', '192.168.1.0'],
    [' 10.0.0.255 ', '10.0.0.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:db8::1', '2001:db8::'],
    ['2001:0:5::9', '2001:0:5::'],
    ['::1', '::'],
    ['fe80::1%eth0', 'fe80::'],
    ['::ffff:203.0.113.9', '::ffff:203.0.113.0'],
    ['64:ff9b:1::198.51.100.7', '64:ff9b:1::'],
  ])('truncates %s to %s', (address, truncated) => {
    expect(truncateIp(address)).toBe(truncated);
  });

  it.each(['example.com', '192.168.1', '300.1.1.1', '', 'x::y'])(
    'gives nothing for %j, which is no address',
    (text) => {
      expect(truncateIp(text)).toBeUndefined();
    },
  );
});
