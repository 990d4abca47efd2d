import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { handler } from './handler.js';

const getPage = async () => {
  const response = await handler(
    httpEvent({ method: 'GET', path: '/debugger', headers: {} }) as never,
    lambdaContext(),
  );
  return response as { statusCode: number; headers: Record<string, string>; body: string };
};

const inline = (html: string, tag: 'script' | 'style'): string[] =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] as string);
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('debugger page (function level)', () => {
  it('answers an HTML page without asking for a key (it holds no data)', async () => {
    const page = await getPage();

    expect(page.statusCode).toBe(200);
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(page.body).toMatch(/^<!doctype html>/);
  });

  it('loads nothing from another origin: no URL, no src, no external stylesheet or font', async () => {
    const { body } = await getPage();

    expect(body).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(body).not.toMatch(/\ssrc=|@import|@font-face|url\(/i);
  });

  it('lets only its own inline style and script run, by hash, and talk only to its own origin', async () => {
    const { headers, body } = await getPage();
    const csp = headers['Content-Security-Policy'] as string;
    const [script] = inline(body, 'script');
    const [style] = inline(body, 'style');

    expect(inline(body, 'script')).toHaveLength(1);
    expect(csp).toContain(`script-src ${hash(script as string)}`);
    expect(csp).toContain(`style-src ${hash(style as string)}`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("form-action 'none'");
  });

  it('has a script that parses and never writes data as HTML', async () => {
    const [script] = inline((await getPage()).body, 'script');

    expect(() => new Function(script as string)).not.toThrow();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
