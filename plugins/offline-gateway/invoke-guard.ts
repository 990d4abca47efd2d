/**
 * What a request to serverless offline's Lambda invoke endpoint shows of itself: its raw headers (name, value, …) and
 * the address it came from.
 */
export interface InvokeRequest {
  rawHeaders: readonly string[];
  remoteAddress: string | undefined;
}

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
// localhost, 127.x.x.x or [::1], with or without a port: what an SDK pointed at this machine sends as Host.
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;
// Headers only browsers send: Origin on every cross-origin request and every POST, and the fetch metadata.
const BROWSER_HEADER = /^(origin|sec-fetch-[\w-]+)$/i;
// The AWS SDKs and the AWS CLI sign every Lambda API call (Signature Version 4); a page cannot send an Authorization
// header to another origin without a CORS preflight, which carries an Origin and is refused.
const AWS_SIGNATURE = /^AWS4-HMAC-SHA256\s/;

const values = (rawHeaders: readonly string[], name: string): string[] =>
  rawHeaders.flatMap((value, i) => (i % 2 === 1 && rawHeaders[i - 1]?.toLowerCase() === name ? [value] : []));

/**
 * Why a request to the open Lambda invoke endpoint is refused, or undefined for one the AWS SDK or CLI makes from
 * this machine. serverless offline runs any function for any such request, with no key and reflecting any Origin, so
 * a page on another local origin could invoke `persist` and store rows (issue 18). Refused: anything a browser sends
 * (Origin, Sec-Fetch-*), a Host other than this machine's (DNS rebinding: a page of another name resolved to
 * 127.0.0.1), a client on another machine (HTTP_HOST=0.0.0.0 binds the endpoint there too), and an unsigned call.
 */
export const invokeRefusal = ({ rawHeaders, remoteAddress }: InvokeRequest): string | undefined => {
  if (remoteAddress === undefined || !LOOPBACK_ADDRESS.test(remoteAddress))
    return 'only clients on this machine may invoke functions';
  if (rawHeaders.some((value, i) => i % 2 === 0 && BROWSER_HEADER.test(value)))
    return 'a browser may not invoke functions';
  const hosts = values(rawHeaders, 'host');
  if (hosts.length !== 1 || !LOOPBACK_HOST.test(hosts[0] as string))
    return 'the Host must be localhost, 127.0.0.1 or [::1]';
  const authorizations = values(rawHeaders, 'authorization');
  if (authorizations.length !== 1 || !AWS_SIGNATURE.test(authorizations[0] as string))
    return 'only the AWS SDK or CLI (a Signature Version 4 Authorization) may invoke functions';
  return undefined;
};
