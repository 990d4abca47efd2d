import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nameBasedUuid } from './name-based-uuid.js';

// RFC 9562 section 5.5, spelled out with a Hash object: the reference the one-shot version must match.
const reference = (name: string): string => {
  const namespace = Buffer.from('6c3e0f5ab1d94c2e8f7a4d5b9e1c2a30', 'hex');
  const digest = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

describe('nameBasedUuid', () => {
  it.each([
    ['an empty name', ''],
    ['a write key and messageId', 'key\najs-next-1796659321653-9cacb3f4-6cc7-4372-8c23-ddd332e86779'],
    ['non-ASCII text', 'clé\n✓ 𝄞'],
    ['a name longer than the scratch buffer', 'x'.repeat(5000)],
    ['a multi-byte name near the scratch size', 'é'.repeat(1360)],
  ])('gives the version 5 UUID of %s', (_, name) => {
    expect(nameBasedUuid(name)).toBe(reference(name));
  });

  it('gives the same id for a short name after a long one (no bytes left over)', () => {
    const before = nameBasedUuid('short');
    nameBasedUuid('y'.repeat(4000));
    expect(nameBasedUuid('short')).toBe(before);
  });
});
