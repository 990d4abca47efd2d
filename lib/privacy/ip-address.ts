import { isIPv4, isIPv6 } from 'node:net';

const truncateIPv4 = (address: string): string => address.replace(/\.\d+$/, '.0');

/** The eight 16-bit groups of an IPv6 address (`::` expanded, an embedded IPv4 tail turned into two groups). */
const ipv6Groups = (address: string): number[] => {
  let text = address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, -tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const front = parse(head);
  const back = rest === undefined ? [] : parse(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
};

/**
 * An IP address with what identifies a host removed: IPv4's last octet zeroed, IPv6 kept to its first 48 bits (the
 * site prefix). An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is truncated as the IPv4 address it carries.
 * Undefined when the text is not an IP address at all: the caller must not keep it as it is.
 */
export const truncateIp = (text: string): string | undefined => {
  const address = text.trim();
  if (isIPv4(address)) return truncateIPv4(address);
  const unzoned = address.replace(/%.*$/, '');
  if (!isIPv6(unzoned)) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unzoned)?.[1];
  if (mapped !== undefined) return `::ffff:${truncateIPv4(mapped)}`;
  const prefix = ipv6Groups(unzoned).slice(0, 3);
  // RFC 5952's form: the trailing zero groups (at least the last five) written as `::`.
  while (prefix.at(-1) === 0) prefix.pop();
  return `${prefix.map((group) => group.toString(16)).join(':')}::`;
};
