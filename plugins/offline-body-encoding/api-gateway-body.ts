// HTTP APIs hand a body to Lambda as text only for these media types; anything else arrives base64-encoded
// (isBase64Encoded: true). AWS does not list them; this is the split observed on a real HTTP API (payload 2.0),
// reported in https://github.com/ministackorg/ministack/pull/766.
const TEXT_MEDIA_TYPE = /^\s*(text\/[^;\s]+|application\/(json|xml|javascript))\s*(;|$)/i;

/**
 * Whether API Gateway's HTTP API passes this request's body base64-encoded: a compressed body (any
 * Content-Encoding but identity) is bytes, not text, whatever its media type.
 */
export const isBinaryBody = (contentType: string | undefined, contentEncoding: string | undefined): boolean => {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') return true;
  return contentType !== undefined && !TEXT_MEDIA_TYPE.test(contentType);
};
