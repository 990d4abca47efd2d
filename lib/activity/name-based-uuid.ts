import { hash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of a namespace and a name): the same name always gives the same
 * id, so a message that arrives twice is stored once. The namespace is this service's own, fixed forever.
 */
const NAMESPACE = Buffer.from('6c3e0f5ab1d94c2e8f7a4d5b9e1c2a30', 'hex');

// The namespace then the name, written into one buffer and hashed in one call: this runs for every Segment call and
// producer message, and a Hash object per name costs twice as much. Longer names get a buffer of their own.
const scratch = Buffer.alloc(4096);
NAMESPACE.copy(scratch);

const namespacedName = (name: string): Buffer => {
  // A UTF-16 unit is at most 3 bytes of UTF-8, so a name this short always fits.
  if (name.length * 3 <= scratch.length - NAMESPACE.length) {
    const length = scratch.write(name, NAMESPACE.length, 'utf8');
    return scratch.subarray(0, NAMESPACE.length + length);
  }
  return Buffer.concat([NAMESPACE, Buffer.from(name, 'utf8')]);
};

export const nameBasedUuid = (name: string): string => {
  const digest = hash('sha1', namespacedName(name), 'buffer');
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50; // version 5
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80; // RFC variant
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
